import ctypes, ctypes.util
libc = ctypes.CDLL(ctypes.util.find_library('c'))
LC_ALL=6
print(libc.setlocale(LC_ALL, b"C.UTF-8"))
wcwidth = libc.wcwidth
wcwidth.argtypes=[ctypes.c_wchar]; wcwidth.restype=ctypes.c_int
def w(c):
    try: return wcwidth(chr(c))
    except Exception: return -2
ranges={0:[],2:[]}
cur=None; start=None
for c in range(0x20, 0x110000):
    if 0xD800<=c<=0xDFFF: v=1
    else: v=w(c)
    if v not in (0,2): v=1
    if v!=cur:
        if cur in (0,2): ranges[cur].append((start,c-1))
        cur=v; start=c
if cur in (0,2): ranges[cur].append((start,0x10FFFF))
print(len(ranges[0]), len(ranges[2]))
print([hex(x) for x in (0x1F1EB,)], w(0x1F1EB), w(0x2764), w(0xFE0F), w(0x200D), w(0x1F600), w(0xE9), w(0x65E5), w(0x7F), w(0x9B), w(0xAD))
import json; json.dump(ranges, open('/tmp/wranges.json','w'))
