#!/usr/bin/env python3
"""gen-benign.py N [SEED] - a benign event corpus for the sample world
(corpus/world/types.xml), as JSON Lines on standard output: ordinary
process creations (type 12 v1) and named-pipe connections (type 7 v3) of a
Windows fleet, svchost.exe among them as on every such machine.

Deterministic: the same N and SEED give the same bytes (a generator of its
own, not Python's random, whose algorithms may change).  Used by the tests
and make bench; the corpus is made when needed, never committed."""
import json
import sys

SYS = "C:\\Windows\\System32\\"
PROCS = [
    (SYS + "svchost.exe", [SYS + "svchost.exe -k netsvcs -p", SYS + "svchost.exe -k LocalService",
                            SYS + "svchost.exe -k DcomLaunch -p", SYS + "svchost.exe -k RPCSS -p"],
     SYS + "services.exe", "SYSTEM"),
    ("C:\\Windows\\explorer.exe", ["C:\\Windows\\Explorer.EXE"], SYS + "userinit.exe", "alice"),
    ("C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
     ["\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer",
      "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\""],
     "C:\\Windows\\explorer.exe", "alice"),
    (SYS + "notepad.exe", ["notepad.exe C:\\Users\\alice\\notes.txt"], "C:\\Windows\\explorer.exe", "alice"),
    (SYS + "cmd.exe", ["cmd.exe /c dir", "cmd.exe /c echo hello"], "C:\\Windows\\explorer.exe", "bob"),
    (SYS + "conhost.exe", [SYS + "conhost.exe 0xffffffff -ForceV1"], SYS + "cmd.exe", "bob"),
    (SYS + "WindowsPowerShell\\v1.0\\powershell.exe", ["powershell.exe -NoProfile -File backup.ps1"],
     SYS + "taskeng.exe", "SYSTEM"),
    (SYS + "lsass.exe", [SYS + "lsass.exe"], SYS + "wininit.exe", "SYSTEM"),
    (SYS + "taskhostw.exe", ["taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}"],
     SYS + "svchost.exe", "alice"),
]
PIPES = ["\\\\.\\pipe\\lsass", "\\\\.\\pipe\\spoolss", "\\\\.\\pipe\\ntsvcs", "\\\\.\\pipe\\wkssvc",
         "\\\\.\\pipe\\srvsvc", "\\\\.\\pipe\\eventlog", "\\\\.\\pipe\\mojo.1234.5678.999"]


class Lcg:
    def __init__(self, seed):
        self.x = seed & 0xFFFFFFFFFFFFFFFF

    def next(self, n):
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.x >> 33) % n


def main():
    if len(sys.argv) < 2:
        print("usage: gen-benign.py N [SEED]", file=sys.stderr)
        return 2
    n = int(sys.argv[1])
    g = Lcg(int(sys.argv[2]) if len(sys.argv) > 2 else 291)
    out = sys.stdout
    for _ in range(n):
        if g.next(3) < 2:
            image, cmds, parent, user = PROCS[g.next(len(PROCS))]
            ev = {"type": 12, "version": 1, "fields": {
                "image_path": image, "command_line": cmds[g.next(len(cmds))],
                "parent_image": parent, "pid": 1000 + g.next(60000), "ppid": 4 + g.next(900),
                "user": user, "integrity_level": g.next(4), "token_elevation": g.next(3)}}
        else:
            client = PROCS[g.next(len(PROCS))]
            server = PROCS[g.next(len(PROCS))]
            ev = {"type": 7, "version": 3, "fields": {
                "pipe_name": PIPES[g.next(len(PIPES))], "client_pid": 1000 + g.next(60000),
                "server_pid": 1000 + g.next(60000), "client_image": client[0],
                "server_image": server[0], "client_cmdline": client[1][0],
                "session_id": g.next(3), "integrity_level": g.next(4),
                "access_mask": 0x12019F, "open_mode": 3, "pipe_mode": 0,
                "max_instances": 1 + g.next(10), "out_buffer_size": 4096,
                "in_buffer_size": 4096, "default_timeout": 50, "client_user": client[3],
                "server_user": server[3], "client_sid": "S-1-5-18", "pipe_attributes": "",
                "event_time": 133650000000000000 + g.next(1000000000)}}
        out.write(json.dumps(ev, separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
