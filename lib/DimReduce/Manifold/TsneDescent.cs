namespace DimReduce.Manifold;

/// <summary>
/// Gradient descent with momentum and per-coordinate gains (the delta-bar-delta rule of Jacobs 1988, as van der
/// Maaten and Hinton 2008 section 3.4 use it), faithful to scikit-learn 1.2.1's <c>_gradient_descent</c>: a gain grows
/// by 0.2 while the update and the gradient disagree in sign and shrinks by the factor 0.8 otherwise (floor
/// <see cref="MinGain"/>); update = momentum * update - learningRate * gain * gradient. Every
/// <see cref="CheckEvery"/> iterations (and at the last) the error is computed; the run stops when the gradient
/// norm falls to <c>minGradNorm</c> or the error has not improved for <c>withoutProgress</c> iterations.
/// </summary>
internal static class TsneDescent
{
    /// <summary>Iterations between error checks: 50, as scikit-learn's <c>_N_ITER_CHECK</c>.</summary>
    public const int CheckEvery = 50;

    /// <summary>Smallest gain: 0.01.</summary>
    public const double MinGain = 0.01;

    /// <summary>The objective: writes the gradient at the positions, returns the error (NaN when not asked for).</summary>
    public delegate double Objective(double[] positions, double[] gradient, bool computeError);

    /// <summary>
    /// Runs iterations <paramref name="start"/> to <paramref name="end"/> - 1 on <paramref name="y"/> in place.
    /// <paramref name="update"/> and <paramref name="gains"/> are the phase's state (zeros and ones at its start).
    /// Returns the last error computed and the last iteration run.
    /// </summary>
    public static (double Error, int Iteration) Run(Objective objective, double[] y, double[] gradient, double[] update, double[] gains,
        int start, int end, double momentum, double learningRate, double minGradNorm, int withoutProgress,
        Action<int, double?, double?>? onIteration, CancellationToken cancellation)
    {
        double error = double.MaxValue, bestError = double.MaxValue;
        int bestIteration = start, i = start;
        for (i = start; i < end; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            bool check = (i + 1) % CheckEvery == 0;
            double e = objective(y, gradient, check || i == end - 1);
            if (!double.IsNaN(e)) error = e;
            for (int t = 0; t < y.Length; t++)
            {
                double g = gradient[t];
                double gain = update[t] * g < 0.0 ? gains[t] + 0.2 : gains[t] * 0.8;
                if (gain < MinGain) gain = MinGain;
                gains[t] = gain;
                g *= gain;
                gradient[t] = g;
                update[t] = momentum * update[t] - learningRate * g;
                y[t] += update[t];
            }
            if (check)
            {
                double norm = 0;
                foreach (double g in gradient) norm += g * g;
                norm = Math.Sqrt(norm);
                onIteration?.Invoke(i + 1, error, norm);
                if (error < bestError) { bestError = error; bestIteration = i; }
                else if (i - bestIteration > withoutProgress) break;
                if (norm <= minGradNorm) break;
            }
            else
            {
                onIteration?.Invoke(i + 1, i == end - 1 ? error : null, null);
            }
        }
        return (error, start >= end ? start : Math.Min(i, end - 1));
    }
}
