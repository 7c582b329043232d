import math, sys
import os; HERE = os.path.dirname(os.path.abspath(__file__)); sys.path.insert(0, HERE)
from common import *
def star_poly(R, r, n=8, rot=0):
    pts=[]
    for k in range(2*n):
        a = rot + math.pi*k/n - math.pi/2
        rr = R if k%2==0 else r
        pts.append((rr*math.cos(a), rr*math.sin(a)))
    return pts
def inside_poly(x,y,poly):
    c=False; n=len(poly)
    for i in range(n):
        x1,y1=poly[i]; x2,y2=poly[(i+1)%n]
        if (y1>y)!=(y2>y) and x < x1+(y-y1)*(x2-x1)/(y2-y1): c = not c
    return c
def floats(inside, rows=23, cols=23):
    # sample a cols x rows grid over [-1,1]^2; merge runs into bars
    out=[]
    ph = 2/rows; pw = 2/cols
    for j in range(rows):
        y = -1 + ph*(j+0.5)
        run=None
        for i in range(cols+1):
            x = -1 + pw*(i+0.5)
            ins = i<cols and inside(x,y)
            if ins and run is None: run=i
            if not ins and run is not None:
                x0 = -1 + pw*run; x1 = -1 + pw*i
                out.append([(x0, y-ph*0.38),(x1, y-ph*0.38),(x1,y+ph*0.38),(x0,y+ph*0.38)])
                run=None
    return " ".join(d_poly(b) for b in out)
star = star_poly(1.0, 0.5)
def big(x,y):
    if not inside_poly(x,y,star): return False
    d = abs(x)+abs(y)
    if 0.3 < d < 0.5: return False   # window around the centre
    return True
def small(x,y):
    d = abs(x)+abs(y)
    return d < 1.0 and not (0.35 < d < 0.62) or (abs(x)<0.12 and abs(y)<1.0) or (abs(y)<0.12 and abs(x)<1.0)
print(floats(big), file=open(os.path.join(os.environ.get('OUT', '.'), 'songket_big.txt'),'w'))
print(floats(small, 15, 15), file=open(os.path.join(os.environ.get('OUT', '.'), 'songket_small.txt'),'w'))
