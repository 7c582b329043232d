import math, sys
import os; HERE = os.path.dirname(os.path.abspath(__file__)); sys.path.insert(0, HERE)
from common import *
def ell(c, rx, ry, ang, n=28):
    return [rot((c[0]+rx*math.cos(2*math.pi*k/n), c[1]+ry*math.sin(2*math.pi*k/n)), ang, c) for k in range(n)]
def mirror(poly): return [(-x,y) for x,y in poly[::-1]]
def feather(base, ang, length, width):
    a=math.radians(ang); c=(base[0]+math.cos(a)*length/2, base[1]+math.sin(a)*length/2)
    return ell(c, length/2, width, ang)
def many(polys): return " ".join(d_poly(p) for p in polys)
# 1. sawat: garuda wings, feathers fan from the shoulder, plus tail
saw=[]
for i,ang in enumerate([-170,-155,-140,-125,-110]):
    L = 0.21 - 0.015*i
    saw.append(feather((-0.025,0.0), ang, L, 0.028))
saw += [mirror(p) for p in saw]
for ang in [60,75,90,105,120]:
    saw.append(feather((0,0.02), ang, 0.13 if ang==90 else 0.11, 0.022))
saw.append(ell((0,0.0),0.035,0.06,0))
# feather lines (light) on the wings
sawl=[]
# 2. tree of life
tree=[[(-0.012,0.17),(-0.012,-0.15),(0.012,-0.15),(0.012,0.17)]]
tree.append([(-0.12,0.2),(-0.08,0.16),(0.08,0.16),(0.12,0.2)])
for y,L,ang in [(0.08,0.12,-150),(0.0,0.11,-145),(-0.08,0.09,-140)]:
    a=math.radians(ang); tip=(math.cos(a)*L, y+math.sin(a)*L)
    br=[(0,y-0.008),(tip[0],tip[1]-0.006),(tip[0],tip[1]+0.006),(0,y+0.008)]
    tree.append(br); tree.append(mirror(br))
    tree.append(ell((tip[0]-0.015,tip[1]-0.02),0.035,0.018,ang+60))
    tree.append(mirror(tree[-1]))
tree.append(ell((0,-0.17),0.03,0.045,0))
# 3. butterfly
bf=[ell((-0.07,-0.05),0.08,0.05,-30), ell((-0.055,0.05),0.055,0.035,30)]
bf += [mirror(p) for p in bf]
bf.append(ell((0,0),0.014,0.09,0))
bf.append([(-0.005,-0.08),(-0.05,-0.15),(-0.045,-0.155),(0.0,-0.09)]); bf.append(mirror(bf[-1]))
bfe=[ell((-0.08,-0.055),0.025,0.018,-30), ell((-0.055,0.05),0.016,0.012,30)]
bfe += [mirror(p) for p in bfe]
# 4. building: a pavilion (joglo) with a tiered roof, pillars and a plinth
bd=[[(-0.05,-0.17),(0.05,-0.17),(0.09,-0.08),(-0.09,-0.08)],
    [(-0.13,-0.07),(0.13,-0.07),(0.17,-0.02),(-0.17,-0.02)],
    [(-0.15,0.12),(0.15,0.12),(0.15,0.15),(-0.15,0.15)],
    [(-0.18,0.15),(0.18,0.15),(0.18,0.18),(-0.18,0.18)]]
for x in (-0.11,-0.04,0.04,0.11):
    bd.append([(x-0.012,-0.02),(x+0.012,-0.02),(x+0.012,0.12),(x-0.012,0.12)])
bd.append([(-0.005,-0.21),(0.005,-0.21),(0.005,-0.17),(-0.005,-0.17)])
out = dict(SAWAT=many(saw), TREE=many(tree), BUTTERFLY=many(bf), BEYES=many(bfe), BUILDING=many(bd))
import json; json.dump(out, open(os.path.join(os.environ.get('OUT', '.'), 'sido.json'),'w'))
