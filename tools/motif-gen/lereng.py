import math, sys
import os; HERE = os.path.dirname(os.path.abspath(__file__)); sys.path.insert(0, HERE)
from common import *
P=0.34; H=0.45; LEAN=0.7; A=0.09; W=0.085; CAP=0.035
VS = H - CAP - 0.03
n=100
sp = [(LEAN*(-VS+2*VS*i/n) + A*math.sin(2*math.pi*i/n), -VS+2*VS*i/n) for i in range(n+1)]
N=n
wf = lambda t: CAP + (W-CAP)*math.sin(math.pi*t)**1.2
core = offset_stroke(sp, wf)
left, right = core[:N+1], core[N+1:][::-1]
def capd(c, p_from, mm=12):
    a0 = math.atan2(p_from[1]-c[1], p_from[0]-c[0]); r = math.hypot(p_from[0]-c[0], p_from[1]-c[1])
    return [(c[0]+r*math.cos(a0-math.pi*k/mm), c[1]+r*math.sin(a0-math.pi*k/mm)) for k in range(1,mm)]
blade = left + capd(sp[N], left[N]) + right[::-1] + capd(sp[0], right[0])
toml = open(os.path.join(HERE, 'lereng_head.toml')).read()
L=0.6
e = lambda v: d_poly([(-L,v),(L,v)],False)
toml = toml.replace("@P@", f(P)).replace("@EDGE1@", e(-0.5)).replace("@EDGE2@", e(0.5)).replace("@EDGE3@", e(-0.47)).replace("@EDGE4@", e(0.47))
toml = toml.replace("@BLADE@", d_poly(blade)).replace("@SAWUT@", d_poly(sp[15:-15],False))
open(sys.argv[1],'w').write(toml)
