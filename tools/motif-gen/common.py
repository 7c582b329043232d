import math
def f(x): 
    s = "%.4f" % x
    s = s.rstrip('0').rstrip('.') if '.' in s else s
    return "0" if s in ("-0", "") else s
def d_poly(pts, close=True):
    return "M" + " L".join("%s %s" % (f(a), f(b)) for a,b in pts) + (" Z" if close else "")
def offset_stroke(spine, width_fn):
    n = len(spine)-1
    left, right = [], []
    for i,(u,v) in enumerate(spine):
        a = spine[max(i-1,0)]; b = spine[min(i+1,n)]
        du,dv = b[0]-a[0], b[1]-a[1]
        L = math.hypot(du,dv); nx,ny = -dv/L, du/L
        w = width_fn(i/n)
        left.append((u+nx*w, v+ny*w)); right.append((u-nx*w, v-ny*w))
    return left + right[::-1]
def rot(p, deg, c=(0,0)):
    a = math.radians(deg); x,y = p[0]-c[0], p[1]-c[1]
    return (c[0]+x*math.cos(a)-y*math.sin(a), c[1]+x*math.sin(a)+y*math.cos(a))
def area(poly):
    return sum(poly[i][0]*poly[(i+1)%len(poly)][1]-poly[(i+1)%len(poly)][0]*poly[i][1] for i in range(len(poly)))/2
def inset(poly, d):
    # move each vertex along its inward bisector normal by d (smooth polygons)
    n=len(poly); s = 1 if area(poly)>0 else -1
    out=[]
    for i in range(n):
        a=poly[i-1]; b=poly[i]; c=poly[(i+1)%n]
        def nrm(p,q):
            dx,dy=q[0]-p[0],q[1]-p[1]; L=math.hypot(dx,dy) or 1
            return (-dy/L*s, dx/L*s)
        n1=nrm(a,b); n2=nrm(b,c)
        mx,my=n1[0]+n2[0],n1[1]+n2[1]; L=math.hypot(mx,my) or 1
        cosh = max((mx/L)*n1[0]+(my/L)*n1[1], 0.3)
        out.append((b[0]+mx/L*d/cosh, b[1]+my/L*d/cosh))
    return out
