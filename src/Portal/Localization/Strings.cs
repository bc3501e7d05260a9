namespace Portal.Localization;

/// <summary>Marker for the UI strings in Strings.resx (Uzbek Latin, the neutral culture) and its uz-Cyrl, ru, en forms.</summary>
public sealed class Strings;
