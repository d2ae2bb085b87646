namespace DimReduce.Manifold;

/// <summary>
/// The low-dimensional similarity curve 1 / (1 + a d^(2b)) and the fit of a and b to MinDist and Spread.
/// </summary>
/// <remarks>
/// McInnes, Healy and Melville (2018), section 3.2 and appendix C: the target membership in the embedding is
/// Psi(d) = 1 if d &lt;= MinDist, else exp(-(d - MinDist) / Spread); UMAP replaces it with the smooth
/// Phi(d) = 1 / (1 + a d^(2b)) whose a and b come from non-linear least squares. As umap-learn 0.5.3's
/// <c>find_ab_params</c>, the fit uses 300 evenly spaced d in [0, 3 Spread] and starts from a = b = 1; scipy's
/// <c>curve_fit</c> runs MINPACK's Levenberg-Marquardt with finite differences, while this code runs
/// Levenberg-Marquardt with the analytic Jacobian, so both reach the same least-squares minimum (to about 1e-6).
/// </remarks>
public static class UmapCurve
{
    /// <summary>Fits a and b of 1 / (1 + a x^(2b)) to the piecewise target for <paramref name="spread"/> and <paramref name="minDist"/>.</summary>
    public static (double A, double B) FitAB(double spread, double minDist)
    {
        const int points = 300;
        var x = new double[points];
        var y = new double[points];
        for (int i = 0; i < points; i++)
        {
            x[i] = spread * 3 * i / (points - 1);   // numpy.linspace(0, 3 spread, 300)
            y[i] = x[i] < minDist ? 1.0 : Math.Exp(-(x[i] - minDist) / spread);
        }
        double a = 1, b = 1, lambda = 1e-3;
        double cost = Cost(x, y, a, b);
        for (int it = 0; it < 500; it++)
        {
            // Normal equations J^T J delta = -J^T r for r = f - y, damped on the diagonal (Marquardt's scaling).
            double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
            for (int i = 0; i < points; i++)
            {
                double xi = x[i];
                double p = xi > 0 ? Math.Pow(xi, 2 * b) : 0;
                double denom = 1 + a * p;
                double f = 1 / denom;
                double r = f - y[i];
                double da = -p / (denom * denom);
                double db = xi > 0 ? -a * p * 2 * Math.Log(xi) / (denom * denom) : 0;
                jaa += da * da; jab += da * db; jbb += db * db;
                ga += da * r; gb += db * r;
            }
            bool improved = false;
            while (lambda < 1e12)
            {
                double m11 = jaa * (1 + lambda), m22 = jbb * (1 + lambda), m12 = jab;
                double det = m11 * m22 - m12 * m12;
                double stepA = -(m22 * ga - m12 * gb) / det;
                double stepB = -(m11 * gb - m12 * ga) / det;
                double na = a + stepA, nb = b + stepB;
                double newCost = Cost(x, y, na, nb);
                if (double.IsFinite(newCost) && newCost < cost)
                {
                    bool converged = Math.Abs(stepA) <= 1e-12 * (Math.Abs(a) + 1e-12) && Math.Abs(stepB) <= 1e-12 * (Math.Abs(b) + 1e-12)
                        || cost - newCost <= 1e-15 * cost;
                    a = na; b = nb; cost = newCost;
                    lambda = Math.Max(lambda / 10, 1e-12);
                    improved = true;
                    if (converged) return (a, b);
                    break;
                }
                lambda *= 10;
            }
            if (!improved) break;
        }
        return (a, b);
    }

    private static double Cost(double[] x, double[] y, double a, double b)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double p = x[i] > 0 ? Math.Pow(x[i], 2 * b) : 0;
            double r = 1 / (1 + a * p) - y[i];
            s += r * r;
        }
        return s;
    }
}
