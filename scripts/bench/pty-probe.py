"""Runs a command in a pseudo-terminal (as a user's terminal would) and times what appears on it.

Usage: pty-probe.py JSON where JSON = {"argv": [...], "env": {...}, "first": "text", "then": [{"send": "r", "wait": "text", "after_ms": 500}], "hold_ms": 0}
Prints JSON: {"first_ms": float, "steps_ms": [float...], "pid": int}
"""
import json, os, pty, select, sys, time, signal, struct, fcntl, termios

spec = json.loads(sys.argv[1])
start = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    env = dict(os.environ, **spec.get("env", {}))
    os.execvpe(spec["argv"][0], spec["argv"], env)

fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
seen = b""

def wait_for(text, deadline_s=20.0):
    global seen
    target = text.encode()
    end = time.monotonic() + deadline_s
    while target not in seen:
        remaining = end - time.monotonic()
        if remaining <= 0:
            raise SystemExit(json.dumps({"error": f"timed out waiting for {text!r}"}))
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                raise SystemExit(json.dumps({"error": "the program exited"}))
    return time.monotonic()

def drain(seconds):
    global seen
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], max(0, end - time.monotonic()))
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                return

result = {"pid": pid}
result["first_ms"] = (wait_for(spec["first"]) - start) * 1000
steps = []
for step in spec.get("then", []):
    drain(step.get("after_ms", 0) / 1000)
    seen = b""
    sent = time.monotonic()
    os.write(fd, step["send"].encode())
    steps.append((wait_for(step["wait"]) - sent) * 1000)
result["steps_ms"] = steps
if spec.get("hold_ms"):
    # Report the pid first so the caller can sample it while we keep the terminal open.
    print(json.dumps(result), flush=True)
    drain(spec["hold_ms"] / 1000)
    os.kill(pid, signal.SIGTERM)
    sys.exit(0)
os.kill(pid, signal.SIGTERM)
print(json.dumps(result))
