"""
Independent reference values for test/unit/scoring (numpy + scipy; run: npm run reference-values).
Each block prints the numbers a test pins; the tests cite the block by name.
"""
import datetime as dt
import json
import sys
try:
    import numpy as np
    from scipy import stats
    from scipy.optimize import brentq
except ImportError as missing:
    sys.exit(f"reference-values needs numpy and scipy for python3 ({missing}); install them with "
             "'pip install numpy scipy' (or apt-get install python3-numpy python3-scipy) and run it again")
out = {}
# distributions
out['norm'] = dict(cdf196=stats.norm.cdf(1.96), cdfm3_5=stats.norm.cdf(-3.5), q975=stats.norm.ppf(0.975), q001=stats.norm.ppf(0.001))
out['t'] = dict(cdf_2_10=stats.t.cdf(2.0, 10), q975_10=stats.t.ppf(0.975, 10), q95_26=stats.t.ppf(0.95, 26), cdf_m13_3=stats.t.cdf(-1.3, 3), q975_2_5=stats.t.ppf(0.975, 2.5))
out['f'] = dict(cdf_25_6_20=stats.f.cdf(2.5, 6, 20))
# Anscombe I
x = np.array([10,8,13,9,11,14,6,4,12,7,5.]); y = np.array([8.04,6.95,7.58,8.81,8.33,9.96,7.24,4.26,10.84,4.82,5.68])
X = np.c_[np.ones_like(x), x]; b, rss, *_ = np.linalg.lstsq(X, y, rcond=None)
out['anscombe'] = dict(b0=b[0], b1=b[1], sigma=float(np.sqrt(rss[0]/9)), se_b1=float(np.sqrt(rss[0]/9*np.linalg.inv(X.T@X)[1,1])))
# Welch (replies per post)
bl = np.array([2,0,5,3,1,4,2,6,0,3.]); wi = np.array([4,6,3,8,5,2,7.])
r = stats.ttest_ind(wi, bl, equal_var=False, alternative='greater')
va, vb = wi.var(ddof=1)/len(wi), bl.var(ddof=1)/len(bl)
dfw = (va+vb)**2/(va**2/(len(wi)-1)+vb**2/(len(bl)-1))
out['welch'] = dict(p_improve=1-r.pvalue, diff=wi.mean()-bl.mean(), se=float(np.sqrt(va+vb)), df=dfw)
# Paired t (citations): 6 prompts, one engine. The test uses 100 answers per prompt and period; only the
# proportions enter the paired t-test, so the numbers are identical.
cb = np.array([2,5,1,7,3,4.]); cw = np.array([4,6,3,7,5,6.]); nb = 10; nw = 10
d = cw/nw - cb/nb
r = stats.ttest_rel(cw/nw, cb/nb, alternative='greater')
out['paired'] = dict(p_improve=1-r.pvalue, diff=d.mean(), se=float(d.std(ddof=1)/np.sqrt(len(d))))
# Random-effects unpaired (equal n=1000): one-way ANOVA moment estimator
n = 1000; pb = np.array([0.38,0.42,0.40]); pw = np.array([0.45,0.41,0.47])
k = 3
within = (((pb-pb.mean())**2).sum() + ((pw-pw.mean())**2).sum())/((k-1)*2)
binom = (pb.mean()*(1-pb.mean()) + pw.mean()*(1-pw.mean()))/2 / n
tau2 = max(0, within - binom)
# the engine's binomial part uses add-one smoothing on pooled counts
def smooth_var(p, N): x = p*N; q = (x+1)/(N+2); return q*(1-q)/N
Vb = smooth_var(pb.mean(), k*n) + tau2/k; Vw = smooth_var(pw.mean(), k*n) + tau2/k
se = np.sqrt(Vb+Vw); eff = pw.mean()-pb.mean()
out['re'] = dict(tau2=tau2, eff=eff, se=float(se), p_improve=float(stats.t.cdf(eff/se, 2*k-2)), naive_p=float(stats.norm.cdf(eff/np.sqrt(pb.mean()*(1-pb.mean())/(k*n)+pw.mean()*(1-pw.mean())/(k*n)))))
# Fieller: A=12.4, E=7.1, VA=1.2, VE=2.0, C=0, t=t_.975,30
A,E,VA,VE = 12.4,7.1,1.2,2.0; t = stats.t.ppf(0.975,30)
f = lambda g: (A-g*E)**2 - t**2*(VA+g*g*VE)
out['fieller'] = dict(lo=brentq(f, 0.5, A/E)-1, hi=brentq(f, A/E, 20)-1, t=t)
# delta-method ratio of sums (followers per post): y followers/day, x posts/day
yb = np.array([12,9,15,8,11,10,14.]); xb = np.array([2,1,3,1,2,2,3.])
R = yb.sum()/xb.sum(); kk = len(yb)
out['ratio'] = dict(R=R, var=float(kk/(kk-1)*((yb-R*xb)**2).sum()/xb.sum()**2))
print(json.dumps(out, indent=1))


# ---- count-rate segmented regression (score-count-rate.test.ts, first test) ----
base = [9,12,10,8,11,13,9,10,12,7,11,10,9,12,10,11,8,12,10,9,13,10,11,9,10,12,8,11]
win  = [12,10,13,11,12,14,10,11,13,12,11,13,12,12]
y = np.array(base + win, float)
n = len(y); nb = len(base)
day0 = (dt.date(2025,2,3) - dt.date(1970,1,1)).days
days = np.arange(day0, day0+n)
centre = (day0 + day0 + nb - 1)/2
W = (np.arange(n) >= nb).astype(float)
X = np.c_[np.ones(n), (days-centre)/7, W]
C = np.linalg.inv(X.T@X); b = C@X.T@y; e = y - X@b
dfr = n - 3; s2 = e@e/dfr
tstat = np.abs(b)/np.sqrt(s2*np.diag(C))
# seasonality F-test (effect coding Mon..Sat vs Sunday)
dow = (days + 4) % 7
D = np.array([[1 if dw==k else (-1 if dw==0 else 0) for k in range(1,7)] for dw in dow], float)
Xf = np.c_[X, D]; bf, rssf, *_ = np.linalg.lstsq(Xf, y, rcond=None); rssf = ((y-Xf@bf)**2).sum()
F = ((e@e - rssf)/6)/(rssf/(n-9)); pF = 1-stats.f.cdf(F, 6, n-9)
rho = (np.sum(e[1:]*e[:-1])/(n-1))/(e@e/n)
m2 = (e**2).mean(); m4 = (e**4).mean(); g2 = m4/m2**2-3
G2 = (n-1)/((n-2)*(n-3))*((n+1)*g2+6)
df = 1/(1/dfr + max(0,G2)/(2*n))
s = np.array([14, ((days[nb:]-centre)/7).sum()])
E = s@b[:2]; VE = s2*s@C[:2,:2]@s
A = y[nb:].sum(); ybar = y[:nb].mean(); g = max(0, s2 - ybar)
ls = min(4, max(0.25, (A/14 + g)/(ybar + g)))
VA = s2*ls*14
eff = (A-E)/14; se = np.sqrt(VA+VE)/14
P = stats.t.cdf(eff/se, df); tq = stats.t.ppf(0.975, df)
print(json.dumps(dict(t_trend=tstat[1], t_shift=tstat[2], pF=pF, rho_sig=rho*np.sqrt(n-1), G2=G2,
  windowValue=A/14, expectedValue=E/14, baselineMean=ybar, effect=eff, se=se, df=df, P=P, lower=eff-tq*se, upper=eff+tq*se, trendPerDay=b[1]/7), indent=1))

# ---- the same series under the local-level counterfactual (what the backtest picks for it) ----
Xl = np.c_[np.ones(n), W]
Cl = np.linalg.inv(Xl.T@Xl); bl = Cl@Xl.T@y; el = y - Xl@bl
s2l = el@el/(n-2); t_shift_l = abs(bl[1])/np.sqrt(s2l*Cl[1,1])
gl = max(0, s2l - ybar)
# |t| of the shift ≥ 2: rows are weighted by the level-dependent variance (level + g)/(ybar + g) of the first fit
wts = np.array([min(4, max(0.25, ((bl[0] + bl[1]*W[i]) + gl)/(ybar + gl))) for i in range(n)]) if t_shift_l >= 2 else np.ones(n)
Xw = Xl/np.sqrt(wts)[:,None]; yw = y/np.sqrt(wts)
Cw = np.linalg.inv(Xw.T@Xw); bw = Cw@Xw.T@yw; ew = yw - Xw@bw
s2w = ew@ew/(n-2)
m2 = (ew**2).mean(); m4 = (ew**4).mean(); g2 = m4/m2**2-3
G2l = (n-1)/((n-2)*(n-3))*((n+1)*g2+6)
dfl = 1/(1/(n-2) + max(0,G2l)/(2*n))
El = 14*bw[0]; VEl = s2w*14*14*Cw[0,0]
lsl = min(4, max(0.25, (A/14 + gl)/(ybar + gl)))
# Cov(window total, counterfactual) is not zero here: the window rows share the intercept through the shift
# column only, so GLS gives Cov = 0 for the level model; window variance at the window's level
VAl = s2w*lsl*14
effl = (A-El)/14; sel = np.sqrt(VAl+VEl)/14
print(json.dumps(dict(t_shift=t_shift_l, weighted=bool(t_shift_l >= 2), expectedValue=El/14, effect=effl, se=sel, df=dfl,
  P=stats.t.cdf(effl/sel, dfl), lower=effl-stats.t.ppf(0.975, dfl)*sel, upper=effl+stats.t.ppf(0.975, dfl)*sel), indent=1))
