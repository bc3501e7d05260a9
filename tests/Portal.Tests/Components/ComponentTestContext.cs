using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Components;

/// <summary>bUnit context with the portal's resources, rendering in a chosen UI language (Uzbek Latin unless told).</summary>
public abstract class ComponentTestContext : BunitContext
{
    protected static readonly TimeZoneInfo Tashkent = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tashkent");
    protected static readonly DateTimeOffset Open = new(2024, 10, 27, 8, 0, 0, TimeSpan.FromHours(5));
    protected static readonly DateTimeOffset Close = new(2024, 10, 27, 20, 0, 0, TimeSpan.FromHours(5));

    protected ComponentTestContext()
    {
        Services.AddLocalization();
        UseCulture("uz-Latn");
    }

    protected static void UseCulture(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }
}
