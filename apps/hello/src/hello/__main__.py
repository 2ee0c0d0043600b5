"""`python -m hello`: run the app."""

from hello.app import main

main()
