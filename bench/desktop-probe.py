#!/usr/bin/env python3
"""One cold start of a desktop app, measured from outside the app.

    desktop-probe.py [--idle-at SECONDS] [--frames DIR] -- COMMAND [ARGS...]

Needs an X display ($DISPLAY, e.g. Xvfb) with the DAMAGE extension, and only
libX11 and libXdamage (both already pulled in by WebKitGTK), through ctypes.
Prints one JSON object on stdout:

  visible_ms  spawn -> the process's top-level window is mapped (viewable)
  paint_ms    spawn -> the first frame of that window that is not one uniform
              colour, i.e. the webview has drawn content (text, borders,
              anything) and not just a background fill
  complete_ms spawn -> the first frame that already looks like the window
              just before the idle reading (>= 99 % of sampled pixels equal):
              the finished view, e.g. the signed-in claims and picture
  rss_kib, pss_kib
              RSS and PSS summed over the process and all its descendants
              (WebKitWebProcess, WebKitNetworkProcess, ...), read from
              /proc/<pid>/smaps_rollup at --idle-at seconds after spawn
  procs       per-process breakdown [name, pid, rss_kib, pss_kib]
  frames      how many frames were captured before the first paint

--frames DIR keeps each captured frame as a PNG, named by its time since
spawn, and the window as it was when memory was read (idle-*.png).

How first paint is detected, and why this way: the probe selects
SubstructureNotify on the root window before spawning, so it learns of the
window's MapNotify as an event (no polling). It then attaches an X DAMAGE
object to the window and grabs the window's pixels (XGetImage) only when the
X server reports that something was drawn into it, plus once right after the
window appears. Between damage events it sleeps in select(). So it costs no
CPU while nothing changes, and its resolution is the time of one grab and
compare (a few ms for 1100x720 in Xvfb) after the draw that produced content.
Spawning helper programs (xdotool, import, xwd) in a loop would instead cost
tens of ms of CPU per frame on the same two cores the app is starting on.

The process tree is made to reparent to this probe (PR_SET_CHILD_SUBREAPER),
so WebKit's helpers are counted and, after SIGTERM to the app, are waited for:
the next start never overlaps the last one's teardown.
"""
import ctypes
import json
import os
import select
import signal
import struct
import subprocess
import sys
import time
import zlib

# --- Xlib through ctypes ------------------------------------------------------
X = ctypes.CDLL("libX11.so.6")
XD = ctypes.CDLL("libXdamage.so.1")
libc = ctypes.CDLL(None, use_errno=True)

Display_p = ctypes.c_void_p
Window = ctypes.c_ulong
Atom = ctypes.c_ulong


class XImage(ctypes.Structure):
    _fields_ = [
        ("width", ctypes.c_int), ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int), ("format", ctypes.c_int),
        ("data", ctypes.c_void_p),
        ("byte_order", ctypes.c_int), ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
    ]


class XWindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int), ("y", ctypes.c_int),
        ("width", ctypes.c_int), ("height", ctypes.c_int),
        ("border_width", ctypes.c_int), ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p), ("root", Window),
        ("class_", ctypes.c_int), ("bit_gravity", ctypes.c_int),
        ("win_gravity", ctypes.c_int), ("backing_store", ctypes.c_int),
        ("backing_planes", ctypes.c_ulong), ("backing_pixel", ctypes.c_ulong),
        ("save_under", ctypes.c_int), ("colormap", ctypes.c_ulong),
        ("map_installed", ctypes.c_int), ("map_state", ctypes.c_int),
        ("all_event_masks", ctypes.c_long), ("your_event_mask", ctypes.c_long),
        ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int), ("screen", ctypes.c_void_p),
    ]


XEvent = ctypes.c_long * 24  # the XEvent union is 24 longs

X.XOpenDisplay.restype = Display_p
X.XOpenDisplay.argtypes = [ctypes.c_char_p]
X.XDefaultRootWindow.restype = Window
X.XDefaultRootWindow.argtypes = [Display_p]
X.XInternAtom.restype = Atom
X.XInternAtom.argtypes = [Display_p, ctypes.c_char_p, ctypes.c_int]
X.XSelectInput.argtypes = [Display_p, Window, ctypes.c_long]
X.XConnectionNumber.argtypes = [Display_p]
X.XPending.argtypes = [Display_p]
X.XNextEvent.argtypes = [Display_p, ctypes.POINTER(XEvent)]
X.XFlush.argtypes = [Display_p]
X.XSync.argtypes = [Display_p, ctypes.c_int]
X.XFree.argtypes = [ctypes.c_void_p]
X.XCloseDisplay.argtypes = [Display_p]
X.XGetWindowAttributes.argtypes = [Display_p, Window, ctypes.POINTER(XWindowAttributes)]
X.XGetWindowProperty.argtypes = [
    Display_p, Window, Atom, ctypes.c_long, ctypes.c_long, ctypes.c_int, Atom,
    ctypes.POINTER(Atom), ctypes.POINTER(ctypes.c_int),
    ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong),
    ctypes.POINTER(ctypes.c_void_p),
]
X.XGetImage.restype = ctypes.POINTER(XImage)
X.XGetImage.argtypes = [Display_p, Window, ctypes.c_int, ctypes.c_int,
                        ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
X.XDestroyImage.argtypes = [ctypes.POINTER(XImage)]
XD.XDamageQueryExtension.argtypes = [Display_p, ctypes.POINTER(ctypes.c_int),
                                     ctypes.POINTER(ctypes.c_int)]
XD.XDamageCreate.restype = ctypes.c_ulong
XD.XDamageCreate.argtypes = [Display_p, Window, ctypes.c_int]
XD.XDamageSubtract.argtypes = [Display_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]

# Grabbing a window that is being unmapped or destroyed raises BadMatch or
# BadWindow; Xlib's default handler would exit. Ignore them and count them.
ERRORS = [0]
ErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, Display_p, ctypes.c_void_p)


@ErrorHandler
def _ignore_x_errors(_dpy, _event):
    ERRORS[0] += 1
    return 0


X.XSetErrorHandler(_ignore_x_errors)

MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
IS_VIEWABLE = 2
Z_PIXMAP = 2
DAMAGE_REPORT_NON_EMPTY = 3
DAMAGE_NOTIFY = 0


def now():
    return time.monotonic()


def window_pid(dpy, win, pid_atom):
    actual_type, actual_format = Atom(), ctypes.c_int()
    nitems, after, prop = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
    rc = X.XGetWindowProperty(dpy, win, pid_atom, 0, 1, 0, 6,  # XA_CARDINAL
                              ctypes.byref(actual_type), ctypes.byref(actual_format),
                              ctypes.byref(nitems), ctypes.byref(after), ctypes.byref(prop))
    if rc != 0 or not prop.value:
        return None
    try:
        if nitems.value < 1 or actual_format.value != 32:
            return None
        return ctypes.cast(prop, ctypes.POINTER(ctypes.c_ulong))[0]
    finally:
        X.XFree(prop)


def grab(dpy, win):
    """The window's pixels as (width, height, bytes of 32-bit BGRX) or None."""
    attrs = XWindowAttributes()
    if not X.XGetWindowAttributes(dpy, win, ctypes.byref(attrs)) or attrs.map_state != IS_VIEWABLE:
        return None
    img = X.XGetImage(dpy, win, 0, 0, attrs.width, attrs.height, 0xFFFFFF, Z_PIXMAP)
    if not img:
        return None
    try:
        im = img.contents
        if im.bits_per_pixel != 32:
            sys.exit(f"desktop-probe: {im.bits_per_pixel} bits per pixel; run Xvfb at depth 24")
        row = im.width * 4
        raw = ctypes.string_at(im.data, im.bytes_per_line * im.height)
        if im.bytes_per_line != row:
            raw = b"".join(raw[y * im.bytes_per_line:y * im.bytes_per_line + row]
                           for y in range(im.height))
        return im.width, im.height, raw
    finally:
        X.XDestroyImage(img)


def uniform(raw):
    return raw == raw[:4] * (len(raw) // 4)


def sample(raw):
    """Every 16th pixel's green byte: enough to tell two views apart."""
    return raw[1::64]


def alike(a, b):
    if len(a) != len(b) or not a:
        return False
    same = sum(x == y for x, y in zip(a, b))
    return same >= 0.99 * len(a)


def write_png(path, width, height, bgrx):
    rgb = bytearray(width * height * 3)
    rgb[0::3], rgb[1::3], rgb[2::3] = bgrx[2::4], bgrx[1::4], bgrx[0::4]
    stride = width * 3
    rows = b"".join(b"\0" + bytes(rgb[y * stride:(y + 1) * stride]) for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(rows, 3)))
        f.write(chunk(b"IEND", b""))


# --- /proc --------------------------------------------------------------------
def process_table():
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
        table[int(entry)] = (int(ppid), comm, state)
    return table


def tree(root_pid):
    table = process_table()
    children = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        if pid in table and table[pid][2] != "Z":
            out.append((pid, table[pid][1]))
        todo.extend(children.get(pid, []))
    return out


def memory(root_pid):
    procs = []
    for pid, comm in tree(root_pid):
        fields = {}
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    key, _, rest = line.partition(":")
                    if key in ("Rss", "Pss"):
                        fields[key] = int(rest.split()[0])
        except OSError:
            continue
        procs.append([comm, pid, fields.get("Rss", 0), fields.get("Pss", 0)])
    return procs


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def stop(root_pid, timeout=15.0):
    """SIGTERM the app, then wait until it and every descendant are gone."""
    pids = [pid for pid, _ in tree(root_pid)]

    def alive():
        table = process_table()
        return [p for p in pids if p in table and table[p][2] != "Z"]

    try:
        os.kill(root_pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = now() + timeout
    while now() < deadline:
        reap()
        if not alive():
            return
        time.sleep(0.05)
    for pid in alive():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    time.sleep(0.2)
    reap()
    print(f"desktop-probe: {root_pid} did not exit on SIGTERM within {timeout:.0f} s; killed",
          file=sys.stderr)


# --- the measurement ------------------------------------------------------------
def main(argv):
    idle_at, frames_dir, timeout = 10.0, None, 60.0
    while argv and argv[0] != "--":
        opt = argv.pop(0)
        if opt == "--idle-at":
            idle_at = float(argv.pop(0))
        elif opt == "--frames":
            frames_dir = argv.pop(0)
        elif opt == "--timeout":
            timeout = float(argv.pop(0))
        else:
            sys.exit(__doc__)
    if not argv or len(argv) < 2:
        sys.exit(__doc__)
    command = argv[1:]

    dpy = X.XOpenDisplay(None)
    if not dpy:
        sys.exit("desktop-probe: cannot open the X display (is DISPLAY set?)")
    ev_base, err_base = ctypes.c_int(), ctypes.c_int()
    if not XD.XDamageQueryExtension(dpy, ctypes.byref(ev_base), ctypes.byref(err_base)):
        sys.exit("desktop-probe: the X server has no DAMAGE extension")
    root = X.XDefaultRootWindow(dpy)
    pid_atom = X.XInternAtom(dpy, b"_NET_WM_PID", 0)
    X.XSelectInput(dpy, root, SUBSTRUCTURE_NOTIFY_MASK)
    X.XSync(dpy, 0)
    libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    fd = X.XConnectionNumber(dpy)
    event = XEvent()

    start = now()
    app = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    win, damage, visible, paint, frames = None, None, None, None, 0
    samples = []  # (time, sample) of each frame from the first paint on

    def check():
        nonlocal paint, frames
        shot = grab(dpy, win)
        if shot is None:
            return
        t = now()
        frames += 1
        width, height, raw = shot
        if frames_dir:
            write_png(os.path.join(frames_dir, f"frame-{frames:03d}-{(t - start) * 1000:06.0f}ms.png"),
                      width, height, raw)
        if not uniform(raw):
            paint = t
            samples.append((t, sample(raw)))

    while paint is None:
        if app.poll() is not None:
            sys.exit(f"desktop-probe: {command[0]} exited with {app.returncode} before painting")
        if now() - start > timeout:
            stop(app.pid)
            sys.exit(f"desktop-probe: no {'window' if win is None else 'painted frame'} "
                     f"from {command[0]} within {timeout:.0f} s")
        if not X.XPending(dpy):
            select.select([fd], [], [], 0.05)
            continue
        X.XNextEvent(dpy, ctypes.byref(event))
        kind = event[0] & 0xFFFFFFFF
        if kind == MAP_NOTIFY and win is None:
            mapped = event[5]  # XMapEvent.window
            if window_pid(dpy, mapped, pid_atom) == app.pid:
                attrs = XWindowAttributes()
                X.XGetWindowAttributes(dpy, mapped, ctypes.byref(attrs))
                if attrs.width >= 100 and attrs.height >= 100:  # not a 1x1 helper
                    win, visible = mapped, now()
                    damage = XD.XDamageCreate(dpy, win, DAMAGE_REPORT_NON_EMPTY)
                    X.XSync(dpy, 0)
                    check()  # whatever was drawn before the damage object existed
        elif kind == ev_base.value + DAMAGE_NOTIFY and damage is not None:
            XD.XDamageSubtract(dpy, damage, 0, 0)
            # Several draws may be queued: grab once for all of them.
            X.XSync(dpy, 0)
            check()
    X.XSelectInput(dpy, root, 0)
    X.XSync(dpy, 0)

    # After the first paint, keep a sample of the window at each draw (at
    # most one grab per 40 ms, so the probe stays out of the app's way) until
    # shortly before the idle reading. The view is complete at the first
    # frame that already looks like the last one (>= 99 % of the samples
    # equal; a countdown's digits may still change afterwards).
    last_grab = paint
    while now() < start + idle_at - 0.5:
        if not X.XPending(dpy):
            select.select([fd], [], [], 0.05)
            continue
        X.XNextEvent(dpy, ctypes.byref(event))
        kind = event[0] & 0xFFFFFFFF
        if kind == ev_base.value + DAMAGE_NOTIFY:
            XD.XDamageSubtract(dpy, damage, 0, 0)
            wait = last_grab + 0.04 - now()
            if wait > 0:
                time.sleep(wait)
            X.XSync(dpy, 0)
            shot = grab(dpy, win)
            last_grab = now()
            if shot:
                samples.append((last_grab, sample(shot[2])))
    final = samples[-1][1] if samples else b""
    complete = next((t for t, s in samples if alike(s, final)), paint)

    time.sleep(max(0.0, start + idle_at - now()))
    procs = memory(app.pid)
    at = now() - start
    if frames_dir:  # what the window showed when memory was read
        shot = grab(dpy, win)
        if shot:
            write_png(os.path.join(frames_dir, f"idle-{at * 1000:06.0f}ms.png"), *shot)
    X.XCloseDisplay(dpy)
    stop(app.pid)
    print(json.dumps({
        "visible_ms": round((visible - start) * 1000, 1),
        "paint_ms": round((paint - start) * 1000, 1),
        "complete_ms": round((complete - start) * 1000, 1),
        "rss_kib": sum(p[2] for p in procs),
        "pss_kib": sum(p[3] for p in procs),
        "memory_at_s": round(at, 2),
        "frames": frames,
        "procs": procs,
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
