import math, sys
import os; HERE = os.path.dirname(os.path.abspath(__file__)); sys.path.insert(0, HERE)
from common import *
args = dict(a.split('=') for a in sys.argv[2:])
g = lambda k,d: float(args.get(k,d))
P, H, LEAN, A, W = g('P',0.45), g('H',0.44), g('LEAN',0.6), g('A',0.12), g('W',0.15)
CAP, HOOK, TURN = g('CAP',0.06), g('HOOK',0.12), g('TURN',1.0)
VS = H - CAP - 0.03 - g('VSDROP',0.06)
n=100
base = [(LEAN*(-VS+2*VS*i/n) + A*math.sin(2*math.pi*i/n), -VS+2*VS*i/n) for i in range(n+1)]
# extend the end (t=1) by a hook turning with constant curvature, then mirror for the start
(x1,y1),(x0,y0) = base[-1], base[-2]
ang = math.atan2(y1-y0, x1-x0); step = math.hypot(x1-x0,y1-y0)
m = int(HOOK/step); hook=[]
x,y=x1,y1
for i in range(m):
    ang += TURN*math.pi/ m * g('SIGN',1)
    x += step*math.cos(ang); y += step*math.sin(ang); hook.append((x,y))
sp = [(-u,-v) for u,v in hook[::-1]] + base + hook
N=len(sp)-1
def wf(t):
    return CAP + (W-CAP)*math.sin(math.pi*t)**g("POW",1.5)
core = offset_stroke(sp, wf)
left, right = core[:N+1], core[N+1:][::-1]
def capd(c, p_from, mm=12):
    a0 = math.atan2(p_from[1]-c[1], p_from[0]-c[0]); r = math.hypot(p_from[0]-c[0], p_from[1]-c[1])
    return [(c[0]+r*math.cos(a0-math.pi*k/mm), c[1]+r*math.sin(a0-math.pi*k/mm)) for k in range(1,mm)]
blade = left + capd(sp[N], left[N]) + right[::-1] + capd(sp[0], right[0])
inner = offset_stroke(sp[8:-8], lambda t: max(wf(t)*0.62, 0.004))
saw = sp[len(hook)//2: N+1-len(hook)//2]
band = [(-0.6,-H),(0.6,-H),(0.6,H),(-0.6,H)]
edge1 = [(-0.6,-H),(0.6,-H)]
edge2 = [(-0.6,H),(0.6,H)]
toml = open(os.path.join(HERE, 'parang_head.toml')).read()
toml = toml.replace("@P@", f(P)).replace("@BAND@", d_poly(band)).replace("@EDGE1@", d_poly(edge1,False)).replace("@EDGE2@", d_poly(edge2,False))
INS = g("INS", 0.025)
ic = offset_stroke(sp, lambda t: wf(t) - INS)
il, ir = ic[:N+1], ic[N+1:][::-1]
inner = il + capd(sp[N], il[N]) + ir[::-1] + capd(sp[0], ir[0])
toml = toml.replace("@INNER@", d_poly(inner))
toml = toml.replace("@BLADE@", d_poly(blade)).replace("@SAWUT@", d_poly(sp[len(hook)+6:N+1-len(hook)-6], False))
open(sys.argv[1],'w').write(toml)
