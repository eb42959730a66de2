"""``python -m lambdago [HANDLER]``: serve HANDLER from the Lambda Runtime API."""

from lambdago.runtime.bootstrap import main

if __name__ == "__main__":
    main()
