"""The `qihub` console script: the project's manage.py (`qihub migrate`, `qihub serve`, …)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qihub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["qihub", *sys.argv[1:]])


if __name__ == "__main__":
    main()
