using System.Runtime.CompilerServices;

// Lets the tests check internal numeric kernels (for example the logistic loss gradient against finite differences).
[assembly: InternalsVisibleTo("DimReduce.Tests")]
