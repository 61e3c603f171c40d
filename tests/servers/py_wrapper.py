"""Starts a Python script as a child process with this process's stdio, as `uv run` does
(python is a child of the wrapper, not an exec), and passes SIGTERM on to it."""
import signal
import subprocess
import sys

child = subprocess.Popen([sys.executable] + sys.argv[1:])
signal.signal(signal.SIGTERM, lambda *_: child.terminate())
sys.exit(child.wait())
