#!/usr/bin/env python3
"""FIXTURE, never a backend to trust: pqc_bridge.py with the seed's ctypes bug.

Everything is pqc_bridge.py except the two members below, which are what the
original bridge got wrong:

  1. restype = c_char_p on a function returning an OWNED heap string: ctypes
     copies the text into a new `bytes` object (PyBytes_FromStringAndSize) and
     the library's pointer is lost (a leak).
  2. That `bytes` is then handed to pqc_free_string: the library frees the
     buffer inside a CPython object, 32 bytes past the start of a malloc block.
     glibc aborts: `munmap_chunk(): invalid pointer` (the 8 bytes before the
     text are ob_shash = -1, which look like the IS_MMAPPED bit); under
     valgrind (PYTHONMALLOC=malloc) it is an invalid free of an address inside
     a block allocated by PyBytes_FromStringAndSize.

The library computed the right answer before the crash: the bug is in the
binding, not the crypto. Run both bridges on the same cases to see it:
  pqc-harness run --backend python,python-seedbug --suite acvp --param ML-KEM-768
"""
import ctypes

import pqc_bridge


class SeedBugJsonAbi(pqc_bridge.JsonAbi):
    ID = "python-seedbug"
    NAME = "Python ctypes bridge with the seed's c_char_p bug (fixture)"
    NOTES = ["FIXTURE: restype = c_char_p on owned strings, then the converted bytes passed to pqc_free_string."]

    RESTYPE = ctypes.c_char_p  # BUG 1: the owned pointer is copied into bytes and lost

    def take(self, s):
        if s is None:
            raise MemoryError("the library returned NULL (allocation failed)")
        self.lib.pqc_free_string(s)  # BUG 2: frees the bytes object's buffer, not the library's pointer
        return s


if __name__ == "__main__":
    pqc_bridge.main(SeedBugJsonAbi)
