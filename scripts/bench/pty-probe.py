"""Runs a command in a pseudo-terminal, as a user's terminal would, and times when text appears on it.

Usage: pty-probe.py JSON, where JSON is
  {"argv": [...], "env": {...}, "first": "text",
   "then": [{"send": "r", "wait": "text", "after_ms": 500}], "hold_ms": 0}
Prints one JSON line: {"pid", "first_ms", "steps_ms": [...], "steps_screen": [...]} or {"error": "..."}.
With hold_ms it prints that line as soon as the steps are done, keeps the terminal open (so the caller can sample
the pid), then stops the program. Times are from spawn (first) or from the key press (steps).
"""
import fcntl, json, os, pty, re, select, signal, struct, sys, termios, time

spec = json.loads(sys.argv[1])
start = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(spec["argv"][0], spec["argv"], dict(os.environ, **spec.get("env", {})))

fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
seen = b""
ansi = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]")


def stop(code=0):
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except OSError:
        pass
    sys.exit(code)


def fail(message):
    print(json.dumps({"error": message, "screen": ansi.sub(b"", seen)[-400:].decode("utf8", "replace")}), flush=True)
    stop(1)


def read_until(deadline, target=None):
    """Reads the terminal until target is on it (returns the time it arrived) or until the deadline."""
    global seen
    while target is None or target not in seen:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                fail("the program exited")
    return time.monotonic()


def wait_for(text, timeout_s=20.0):
    arrived = read_until(time.monotonic() + timeout_s, text.encode())
    if arrived is None:
        fail(f"timed out after {timeout_s:.0f} s waiting for {text!r}")
    return arrived


result = {"pid": pid, "first_ms": (wait_for(spec["first"]) - start) * 1000, "steps_ms": [], "steps_screen": []}
for step in spec.get("then", []):
    read_until(time.monotonic() + step.get("after_ms", 0) / 1000)
    seen = b""
    sent = time.monotonic()
    os.write(fd, step["send"].encode())
    result["steps_ms"].append((wait_for(step["wait"]) - sent) * 1000)
    result["steps_screen"].append(ansi.sub(b"", seen).decode("utf8", "replace"))
print(json.dumps(result), flush=True)
if spec.get("hold_ms"):
    read_until(time.monotonic() + spec["hold_ms"] / 1000)
stop()
