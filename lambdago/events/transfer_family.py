"""AWS Transfer Family custom identity providers: the login a server passes to its Lambda
identity provider (user name, password or none for key authentication, protocol, server
and client address), and the response granting access (IAM role, home directory, POSIX
profile, public keys) or refusing it.

A logical home directory maps the paths users see to bucket or file-system paths;
:meth:`TransferFamilyAuthorizerResponse.set_home_directory_details` writes the mappings
in the JSON-string form Transfer Family expects::

    response = TransferFamilyAuthorizerResponse(role=ROLE_ARN)
    response.set_home_directory_details([("/", f"/uploads-bucket/{event.username}")])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._base import event, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "TransferFamilyAuthorizerEvent",
    "TransferFamilyAuthorizerResponse",
    "TransferFamilyHomeDirectoryMapping",
    "TransferFamilyHomeDirectoryTypeLogical",
    "TransferFamilyHomeDirectoryTypePath",
    "TransferFamilyPosixProfile",
    "TransferFamilyProtocolFTP",
    "TransferFamilyProtocolFTPS",
    "TransferFamilyProtocolSFTP",
]

SAMPLES = {
    "transfer-family-authorizer-password": "TransferFamilyAuthorizerEvent",
    "transfer-family-authorizer-public-key": "TransferFamilyAuthorizerEvent",
    "transfer-family-authorizer-response": "TransferFamilyAuthorizerResponse",
    "transfer-family-authorizer-response-posix": "TransferFamilyAuthorizerResponse",
}

TransferFamilyProtocolSFTP: Final = "SFTP"
TransferFamilyProtocolFTP: Final = "FTP"
TransferFamilyProtocolFTPS: Final = "FTPS"

TransferFamilyHomeDirectoryTypePath: Final = "PATH"
"""Users see the real bucket or file-system paths (``HomeDirectory``)."""
TransferFamilyHomeDirectoryTypeLogical: Final = "LOGICAL"
"""Users see the paths that ``HomeDirectoryDetails`` maps."""


@event
class TransferFamilyAuthorizerEvent:
    """The login a Transfer Family server asks its Lambda identity provider to check:
    user name, password (absent or empty when the client authenticates with an SSH key;
    the response then lists the user's public keys), protocol, server id and the
    client's address."""

    username: str | None = field("username")
    password: str | None = field("password")
    protocol: str | None = field("protocol")
    server_id: str | None = field("serverId")
    source_ip: str | None = field("sourceIp")

    def uses_password(self) -> bool:
        """Whether the client sent a password (else it authenticates with an SSH key)."""
        return bool(self.password)


@event
class TransferFamilyHomeDirectoryMapping:
    """One mapping of a logical home directory: the path users see (``Entry``), the
    bucket or file-system path it stands for (``Target``) and, optionally, whether it is
    a ``FILE`` or ``DIRECTORY``."""

    entry: str | None = field("Entry")
    target: str | None = field("Target")
    type: str | None = field("Type")


@event
class TransferFamilyPosixProfile:
    """The POSIX user and groups a user acts as on Amazon EFS."""

    uid: int | None = field("Uid")
    gid: int | None = field("Gid")
    secondary_gids: list[int] | None = field("SecondaryGids")


@event
class TransferFamilyAuthorizerResponse:
    """What a Lambda identity provider returns: the IAM role the user's session assumes
    (no role means access denied), an optional session policy (a JSON string), the home
    directory (``PATH``) or its logical mappings (``LOGICAL``, ``HomeDirectoryDetails`` as
    a JSON string), the POSIX profile for EFS, and the SSH public keys that may log in.
    """

    role: str | None = field("Role")
    policy: str | None = field("Policy")
    home_directory: str | None = field("HomeDirectory")
    home_directory_type: str | None = field("HomeDirectoryType")
    home_directory_details: str | None = field("HomeDirectoryDetails")
    posix_profile: TransferFamilyPosixProfile | None = field("PosixProfile")
    public_keys: list[str] | None = field("PublicKeys")

    @classmethod
    def deny(cls) -> TransferFamilyAuthorizerResponse:
        """Refuse the login: an empty response (no ``Role``)."""
        return cls()

    def set_home_directory_details(
        self,
        mappings: Iterable[
            TransferFamilyHomeDirectoryMapping | tuple[str, str] | Mapping[str, str]
        ],
    ) -> None:
        """Give the user a logical home directory: ``HomeDirectoryDetails`` becomes the
        mappings as a JSON string and ``HomeDirectoryType`` becomes ``LOGICAL``.

        Each mapping is a :class:`TransferFamilyHomeDirectoryMapping`, an
        ``(entry, target)`` pair, or a mapping with ``Entry`` and ``Target`` (and maybe
        ``Type``) keys.
        """
        from ..codec import encode

        items = [_mapping(m) for m in mappings]
        self.home_directory_details = encode(items).decode("utf-8")
        self.home_directory_type = TransferFamilyHomeDirectoryTypeLogical

    def home_directory_mappings(self) -> list[TransferFamilyHomeDirectoryMapping]:
        """``HomeDirectoryDetails`` decoded (``[]`` when unset). Raises
        :class:`lambdago.DecodeError` when it is not a JSON list of mappings."""
        from ..codec import decode

        text = self.home_directory_details
        if not text:
            return []
        result: list[TransferFamilyHomeDirectoryMapping] = decode(
            text, list[TransferFamilyHomeDirectoryMapping]
        )
        return result


def _mapping(
    item: TransferFamilyHomeDirectoryMapping | tuple[str, str] | Mapping[str, str],
) -> TransferFamilyHomeDirectoryMapping:
    if isinstance(item, TransferFamilyHomeDirectoryMapping):
        if item.entry is None or item.target is None:
            raise ValueError("a home directory mapping needs an entry and a target")
        return item
    if isinstance(item, tuple):
        if len(item) != 2 or not all(isinstance(x, str) for x in item):
            raise ValueError(f"expected an (entry, target) pair of strings, got {item!r}")
        return TransferFamilyHomeDirectoryMapping(entry=item[0], target=item[1])
    if isinstance(item, Mapping):
        unknown = set(item) - {"Entry", "Target", "Type"}
        if unknown or "Entry" not in item or "Target" not in item:
            raise ValueError(f"expected Entry and Target (and maybe Type) keys, got {item!r}")
        return TransferFamilyHomeDirectoryMapping(
            entry=item["Entry"], target=item["Target"], type=item.get("Type")
        )
    raise TypeError(f"not a home directory mapping: {item!r}")
