/// The language of a text query, which picks the prompt template it is wrapped in
/// (`PromptTemplates`): chosen, or detected per query.
public enum PromptLanguage: String, Equatable, Sendable, CaseIterable {
    /// Chosen per query: Chinese when the query holds Chinese characters.
    case auto
    /// English ("en").
    case english = "en"
    /// Chinese ("zh").
    case chinese = "zh"

    /// How the status line names a chosen language (`auto` alone says
    /// nothing of the current query: see `label(for:)`).
    public var label: String {
        switch self {
        case .auto: return "auto"
        case .english: return "EN"
        case .chinese: return "中文"
        }
    }

    /// The language a query actually uses: `auto` resolved by its characters (Chinese when
    /// it holds any CJK ideograph, else English).
    public func resolved(for query: String) -> PromptLanguage {
        guard self == .auto else { return self }
        return HanScript.contains(query) ? .chinese : .english
    }

    /// The status line's name for this setting with `query` typed:
    /// "EN", "中文", or "auto EN" / "auto 中文" for what detection picks.
    public func label(for query: String) -> String {
        self == .auto ? "auto " + resolved(for: query).label : label
    }

    /// The next setting `t` switches to: auto, English, 中文, auto.
    public var toggled: PromptLanguage {
        switch self {
        case .auto: return .english
        case .english: return .chinese
        case .chinese: return .auto
        }
    }
}
