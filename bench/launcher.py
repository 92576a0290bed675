"""``python -S bench/launcher.py FD ARGV...``: run ARGV, then write its own wait4 figures as JSON to
file descriptor FD and exit with its status (see bench/rss.py: forked from this small process, the
command's peak RSS is its own, not the benchmark runner's). Imports only what it needs."""

import json
import os
import sys


def main() -> int:
    fd, argv = int(sys.argv[1]), sys.argv[2:]
    pid = os.fork()
    if pid == 0:
        os.close(fd)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    with os.fdopen(fd, "w") as report:
        json.dump({"maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime, "returncode": code},
                  report)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
