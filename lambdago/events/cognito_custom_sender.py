"""Amazon Cognito user pools custom sender triggers: the events a user pool sends its
custom email sender or custom SMS sender function instead of delivering a message
itself (sign-up codes, password reset codes, temporary passwords, MFA codes, account
takeover notices), so the function can send it through a provider of its choice.

The events have the header every User Pools trigger has (``version``, ``triggerSource``
such as ``CustomEmailSender_SignUp``, ``region``, ``userPoolId``, ``userName``,
``callerContext``), shared with :mod:`lambdago.events.cognito`, and a ``request``.

``request.code`` is **encrypted**: Cognito encrypts the code (or temporary password)
with the AWS KMS key configured on the trigger, using the AWS Encryption SDK, and sends
the resulting message as base64 text. It stays a ``str`` here. Decrypt it with the
Encryption SDK and that key (the execution role needs ``kms:Decrypt`` on it), for
example with the ``aws-encryption-sdk`` package::

    import aws_encryption_sdk
    from aws_encryption_sdk.identifiers import CommitmentPolicy

    client = aws_encryption_sdk.EncryptionSDKClient(
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT
    )
    keys = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[KEY_ARN])

    def handler(event: CognitoEventUserPoolsCustomEmailSender) -> None:
        code = event.request.decrypt_code(
            lambda blob: client.decrypt(source=blob, key_provider=keys)[0]
        )
        send_mail(event.request.user_attributes["email"], code)

The function's return value is not read.

``request.userAttributes`` is typed ``dict[str, Any]``, unlike the other User Pools
triggers' ``dict[str, str]``: Cognito sends attribute values as strings, but AWS's own
example of these events shows ``email_verified`` and ``phone_number_verified`` as JSON
booleans, so values are kept as they arrive rather than rejected.
"""

from __future__ import annotations

import binascii

from ._base import event, field
from .cognito import CognitoEventUserPoolsHeader

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Final

__all__ = [
    "CognitoCustomEmailSenderAccountTakeOverNotification",
    "CognitoCustomEmailSenderAdminCreateUser",
    "CognitoCustomEmailSenderAuthentication",
    "CognitoCustomEmailSenderForgotPassword",
    "CognitoCustomEmailSenderRequestV1",
    "CognitoCustomEmailSenderResendCode",
    "CognitoCustomEmailSenderSignUp",
    "CognitoCustomEmailSenderUpdateUserAttribute",
    "CognitoCustomEmailSenderVerifyUserAttribute",
    "CognitoCustomSMSSenderAdminCreateUser",
    "CognitoCustomSMSSenderAuthentication",
    "CognitoCustomSMSSenderForgotPassword",
    "CognitoCustomSMSSenderRequestV1",
    "CognitoCustomSMSSenderResendCode",
    "CognitoCustomSMSSenderSignUp",
    "CognitoCustomSMSSenderUpdateUserAttribute",
    "CognitoCustomSMSSenderVerifyUserAttribute",
    "CognitoEventUserPoolsCustomEmailSender",
    "CognitoEventUserPoolsCustomEmailSenderRequest",
    "CognitoEventUserPoolsCustomSMSSender",
    "CognitoEventUserPoolsCustomSMSSenderRequest",
]

SAMPLES = {
    "userpools-custom-email-sender": "CognitoEventUserPoolsCustomEmailSender",
    "userpools-custom-sms-sender": "CognitoEventUserPoolsCustomSMSSender",
}

# -- trigger sources ---------------------------------------------------------------------------

CognitoCustomEmailSenderSignUp: Final = "CustomEmailSender_SignUp"
"""A user signed up: send the confirmation code."""
CognitoCustomEmailSenderResendCode: Final = "CustomEmailSender_ResendCode"
"""A user asked for the confirmation code again."""
CognitoCustomEmailSenderForgotPassword: Final = "CustomEmailSender_ForgotPassword"
"""A user asked to reset a forgotten password: send the reset code."""
CognitoCustomEmailSenderUpdateUserAttribute: Final = "CustomEmailSender_UpdateUserAttribute"
"""A user changed the email address: send the code verifying the new one."""
CognitoCustomEmailSenderVerifyUserAttribute: Final = "CustomEmailSender_VerifyUserAttribute"
"""A user asked to verify the email address."""
CognitoCustomEmailSenderAdminCreateUser: Final = "CustomEmailSender_AdminCreateUser"
"""An administrator created the user: send the temporary password (the ``code``)."""
CognitoCustomEmailSenderAccountTakeOverNotification: Final = (
    "CustomEmailSender_AccountTakeOverNotification"
)
"""Threat protection detected a risky sign-in: notify the user (no code)."""
CognitoCustomEmailSenderAuthentication: Final = "CustomEmailSender_Authentication"
"""A user signs in with email MFA (or an email one-time password): send the code."""

CognitoCustomSMSSenderSignUp: Final = "CustomSMSSender_SignUp"
"""A user signed up: send the confirmation code."""
CognitoCustomSMSSenderResendCode: Final = "CustomSMSSender_ResendCode"
"""A user asked for the confirmation code again."""
CognitoCustomSMSSenderForgotPassword: Final = "CustomSMSSender_ForgotPassword"
"""A user asked to reset a forgotten password: send the reset code."""
CognitoCustomSMSSenderUpdateUserAttribute: Final = "CustomSMSSender_UpdateUserAttribute"
"""A user changed the phone number: send the code verifying the new one."""
CognitoCustomSMSSenderVerifyUserAttribute: Final = "CustomSMSSender_VerifyUserAttribute"
"""A user asked to verify the phone number."""
CognitoCustomSMSSenderAdminCreateUser: Final = "CustomSMSSender_AdminCreateUser"
"""An administrator created the user: send the temporary password (the ``code``)."""
CognitoCustomSMSSenderAuthentication: Final = "CustomSMSSender_Authentication"
"""A user signs in with SMS MFA: send the code."""

CognitoCustomEmailSenderRequestV1: Final = "customEmailSenderRequestV1"
"""``request.type`` of a custom email sender event."""
CognitoCustomSMSSenderRequestV1: Final = "customSMSSenderRequestV1"
"""``request.type`` of a custom SMS sender event."""


class _SenderRequest:
    """Helpers shared by both request types (their fields are declared on each)."""

    __slots__ = ()
    code: str | None

    def code_ciphertext(self) -> bytes:
        """The encrypted ``code``, base64-decoded: an AWS Encryption SDK message.

        Raises ``ValueError`` when there is no code (account takeover notices have none)
        or it is not base64.
        """
        if not self.code:
            raise ValueError("the request has no code")
        try:
            return binascii.a2b_base64(self.code, strict_mode=True)
        except (binascii.Error, ValueError):
            raise ValueError("the code is not valid base64") from None

    def decrypt_code(self, decrypt: Callable[[bytes], bytes | str]) -> str:
        """The plaintext code: ``decrypt`` is called with :meth:`code_ciphertext` and
        returns the plaintext (bytes are decoded as UTF-8). Pass a function using the
        AWS Encryption SDK with the trigger's KMS key (see the module's documentation)."""
        plain = decrypt(self.code_ciphertext())
        return plain.decode("utf-8") if isinstance(plain, bytes) else plain


@event
class CognitoEventUserPoolsCustomEmailSenderRequest(_SenderRequest):
    """The message to send by email: ``type`` (``customEmailSenderRequestV1``), the
    encrypted ``code`` (see :meth:`decrypt_code`), the client metadata the app passed,
    and the user's attributes (``email`` is the address to write to)."""

    type: str | None = field("type")
    code: str | None = field("code")
    client_metadata: dict[str, str] | None = field("clientMetadata")
    user_attributes: dict[str, Any] | None = field("userAttributes")


@event
class CognitoEventUserPoolsCustomSMSSenderRequest(_SenderRequest):
    """The message to send by SMS: ``type`` (``customSMSSenderRequestV1``), the encrypted
    ``code`` (see :meth:`decrypt_code`), the client metadata the app passed, and the
    user's attributes (``phone_number`` is the number to text)."""

    type: str | None = field("type")
    code: str | None = field("code")
    client_metadata: dict[str, str] | None = field("clientMetadata")
    user_attributes: dict[str, Any] | None = field("userAttributes")


@event
class CognitoEventUserPoolsCustomEmailSender(CognitoEventUserPoolsHeader):
    """What a user pool sends its custom email sender function for each email it would
    otherwise send itself; ``triggerSource`` says which (``CustomEmailSender_SignUp``,
    ``CustomEmailSender_ForgotPassword`` …)."""

    request: CognitoEventUserPoolsCustomEmailSenderRequest | None = field("request")

    def email(self) -> str | None:
        """The address to write to: the user's ``email`` attribute."""
        request = self.request
        return (request.user_attributes or {}).get("email") if request is not None else None


@event
class CognitoEventUserPoolsCustomSMSSender(CognitoEventUserPoolsHeader):
    """What a user pool sends its custom SMS sender function for each text message it
    would otherwise send itself; ``triggerSource`` says which (``CustomSMSSender_SignUp``,
    ``CustomSMSSender_Authentication`` …)."""

    request: CognitoEventUserPoolsCustomSMSSenderRequest | None = field("request")

    def phone_number(self) -> str | None:
        """The number to text: the user's ``phone_number`` attribute."""
        request = self.request
        return (request.user_attributes or {}).get("phone_number") if request is not None else None
