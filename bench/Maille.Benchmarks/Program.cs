namespace Maille.Benchmarks; internal static class Program { private static void Main() {} }
