#!/usr/bin/python3
"""A FUSE filesystem whose statfs never answers: a dead NFS server, on loopback.

Usage: hung_fs.py MOUNTPOINT PIDFILE. Runs in the foreground; writes its pid to PIDFILE once
mounted. Killing it ends the mount and frees every caller still blocked in statfs.
Debian's python3-fusepy (module fusepy) over libfuse2.
"""
import errno, os, stat, sys, threading, time
from fusepy import FUSE, FuseOSError, Operations


class Hung(Operations):
    def getattr(self, path, fh=None):
        if path == "/":
            return dict(st_mode=stat.S_IFDIR | 0o755, st_nlink=2)
        raise FuseOSError(errno.ENOENT)

    def readdir(self, path, fh):
        return [".", ".."]

    def statfs(self, path):
        threading.Event().wait()   # never answers
        return {}


def announce(mountpoint, pidfile):
    # The pid file appears only once the mount is in this namespace's mount table.
    for _ in range(400):
        with open("/proc/self/mountinfo") as f:
            if any(line.split()[4] == mountpoint for line in f):
                with open(pidfile + ".tmp", "w") as out:
                    out.write(str(os.getpid()))
                os.rename(pidfile + ".tmp", pidfile)
                return
        time.sleep(0.05)


# Descriptors inherited from the test runner (Foundation watches one to learn that a process and
# its descendants ended) must not be held by this long-lived helper.
os.closerange(3, os.sysconf("SC_OPEN_MAX"))
mountpoint, pidfile = os.path.realpath(sys.argv[1]), sys.argv[2]
threading.Thread(target=announce, args=(mountpoint, pidfile), daemon=True).start()
FUSE(Hung(), mountpoint, foreground=True, nothreads=False)
