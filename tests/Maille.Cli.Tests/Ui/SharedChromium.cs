namespace Maille.Cli.Tests.Ui;

/// <summary>
/// The browser tests share one chromium (launching it costs a second or two of a 2-core machine) and run one class
/// at a time, so a timed first render does not race another test's page.
/// </summary>
[CollectionDefinition(Chromium.Collection)]
public sealed class SharedChromium : ICollectionFixture<Chromium>;
