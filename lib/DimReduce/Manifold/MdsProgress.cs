namespace DimReduce.Manifold;

/// <summary>A progress report of <see cref="Mds"/> with <see cref="MdsMethod.Smacof"/>: one per SMACOF iteration.</summary>
/// <param name="Start">The random start running (1-based).</param>
/// <param name="Starts">Starts in all (<see cref="Mds.Starts"/>).</param>
/// <param name="Iteration">Iterations finished in this start.</param>
/// <param name="Stress">Raw stress of the configuration before this iteration's update.</param>
public sealed record MdsProgress(int Start, int Starts, int Iteration, double Stress);
