using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.Optimization;

namespace DimReduce.Classification;

/// <summary>What <see cref="LbfgsSolver.Minimize"/> found.</summary>
internal sealed record LbfgsResult(double[] Point, double Value, double MaxGradient, int Iterations, bool Converged, string? Problem);

/// <summary>
/// Minimises a smooth function with MathNet.Numerics' limited-memory BFGS, stopping as scipy's
/// L-BFGS-B (which scikit-learn uses) stops: when every gradient component is below the tolerance
/// in absolute value (scipy's <c>gtol</c>).
/// </summary>
internal static class LbfgsSolver
{
    /// <summary>scipy's default number of stored correction pairs.</summary>
    public const int Memory = 10;

    /// <summary>
    /// <paramref name="evaluate"/> writes the gradient at the point into its second argument and returns the value.
    /// </summary>
    public static LbfgsResult Minimize(Func<double[], double[], double> evaluate, double[] start, double tolerance, int maxIterations)
    {
        // Keep the best point evaluated, so a run stopped by the iteration limit or a failed line
        // search still returns the lowest objective seen (MathNet reports those by exception).
        double[] best = (double[])start.Clone();
        double bestValue = double.PositiveInfinity, bestMaxGradient = double.PositiveInfinity;
        int improvements = 0;
        var objective = ObjectiveFunction.Gradient(v =>
        {
            var point = v.AsArray() ?? v.ToArray();
            var gradient = new double[point.Length];
            double value = evaluate(point, gradient);
            if (value < bestValue)
            {
                bestValue = value;
                best = (double[])point.Clone();
                bestMaxGradient = MaxAbs(gradient);
                improvements++;
            }
            return (value, Vector<double>.Build.Dense(gradient));
        });

        var minimizer = new AbsoluteGradientLbfgs(tolerance, maxIterations);
        try
        {
            var result = minimizer.FindMinimum(objective, new DenseVector((double[])start.Clone()));
            var point = result.MinimizingPoint.ToArray();
            var gradient = new double[point.Length];
            double value = evaluate(point, gradient);
            double maxGradient = MaxAbs(gradient);
            // MathNet 5.0 counts one past its limit and then returns normally instead of throwing, so
            // convergence is judged here from the gradient at the returned point.
            int iterations = Math.Min(result.Iterations, maxIterations);
            bool converged = maxGradient <= tolerance;
            string? problem = converged ? null : iterations >= maxIterations ? "iteration limit" : "no further progress";
            return new LbfgsResult(point, value, maxGradient, iterations, converged, problem);
        }
        catch (MaximumIterationsException)
        {
            return new LbfgsResult(best, bestValue, bestMaxGradient, maxIterations, bestMaxGradient <= tolerance, "iteration limit");
        }
        catch (Exception e) when (e is InnerOptimizationException or EvaluationException or OptimizationException)
        {
            // A line search that cannot improve further happens at the limit of floating-point
            // precision; the best point is then the answer, converged if its gradient is small.
            return new LbfgsResult(best, bestValue, bestMaxGradient, 0, bestMaxGradient <= tolerance, "line search: " + e.Message)
            {
                // MathNet does not report the iteration count with this exception; the number of
                // improving evaluations is a close stand-in.
                Iterations = Math.Min(maxIterations, improvements),
            };
        }
    }

    private static double MaxAbs(double[] values)
    {
        double max = 0;
        foreach (double v in values) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    /// <summary>
    /// MathNet's exit test divides each gradient component by <c>max(|f|, 1)</c> and multiplies it by
    /// <c>max(|x_j|, 1)</c> (a relative gradient). Undoing that scaling here makes the test
    /// <c>max_j |g_j| &lt; tolerance</c>, scipy's projected-gradient test for an unconstrained problem.
    /// </summary>
    private sealed class AbsoluteGradientLbfgs(double tolerance, int maxIterations)
        : LimitedMemoryBfgsMinimizer(tolerance, 1e-12, 1e-12, LbfgsSolver.Memory, maxIterations)
    {
        protected override double GetProjectedGradient(IObjectiveFunctionEvaluation candidatePoint, int ii) =>
            candidatePoint.Gradient[ii] * Math.Max(Math.Abs(candidatePoint.Value), 1.0) / Math.Max(Math.Abs(candidatePoint.Point[ii]), 1.0);
    }
}
