using System.Reflection;
using System.Text.RegularExpressions;

namespace Training.MlNet;

/// <summary>
/// The model definitions this build knows: every public concrete <see cref="IModelDefinition"/> with a parameterless
/// constructor in this assembly. Discovery fails loudly (a duplicate or malformed name, a definition that cannot be
/// constructed), never by leaving a model out silently.
/// </summary>
public sealed partial class ModelCatalog
{
    public const string DefaultModel = "fashion-mnist";

    private readonly IReadOnlyDictionary<string, IModelDefinition> _byName;

    public ModelCatalog(IEnumerable<IModelDefinition> definitions)
    {
        var byName = new SortedDictionary<string, IModelDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (!NamePattern().IsMatch(definition.Name))
                throw new InvalidOperationException(
                    $"Model definition {definition.GetType().Name} is named '{definition.Name}'; a model name is 1-63 lowercase letters, digits and '-', starting with a letter (it becomes an image tag, a route and a Kubernetes name).");
            if (!byName.TryAdd(definition.Name, definition))
                throw new InvalidOperationException(
                    $"Model definitions {byName[definition.Name].GetType().Name} and {definition.GetType().Name} are both named '{definition.Name}'; rename one.");
        }

        _byName = byName;
    }

    /// <summary>The definitions compiled into this assembly.</summary>
    public static ModelCatalog Discover() => new(typeof(ModelCatalog).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && typeof(IModelDefinition).IsAssignableFrom(t))
        .Select(t => (IModelDefinition)(Activator.CreateInstance(t)
            ?? throw new InvalidOperationException($"Model definition {t.Name} could not be constructed; give it a public parameterless constructor."))));

    public IReadOnlyCollection<string> Names => _byName.Keys.ToList();

    public IEnumerable<IModelDefinition> All => _byName.Values;

    /// <summary>The definition named <paramref name="name"/>, or an error that lists the names there are.</summary>
    public IModelDefinition Get(string name) => _byName.TryGetValue(name, out var definition)
        ? definition
        : throw new ArgumentException(
            $"There is no model named '{name}'. Known models: {string.Join(", ", _byName.Keys)}. Pass one with --model, or add a definition in training/Training.MlNet/Models/.", nameof(name));

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex NamePattern();
}
