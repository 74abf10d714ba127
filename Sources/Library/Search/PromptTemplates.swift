import Foundation
import PicseekCore

/// Why a prompt template is unusable.
public enum PromptTemplateError: Error, Equatable, CustomStringConvertible {
    case missingPlaceholder(String)

    public var description: String {
        switch self {
        case .missingPlaceholder(let t):
            return "prompt template \"\(t)\" has no {} where the query goes"
        }
    }
}

/// Sentences a text query is wrapped in before embedding, one per language
/// ("a photo of {}" / "一张{}的照片"): CLIP models were trained on captions,
/// and a caption-like prompt scores better than a bare noun.
public struct PromptTemplates: Equatable, Sendable {
    /// English template; `{}` is replaced by the query.
    public private(set) var english: String
    /// Chinese template; `{}` is replaced by the query.
    public private(set) var chinese: String

    /// The defaults: "a photo of {}" and "一张{}的照片".
    public static let standard = PromptTemplates(
        uncheckedEnglish: "a photo of {}", chinese: "一张{}的照片")

    /// Templates that leave the query as it is.
    public static let none = PromptTemplates(uncheckedEnglish: "{}", chinese: "{}")

    /// Custom templates; each must contain `{}`.
    public init(english: String, chinese: String) throws(PromptTemplateError) {
        for t in [english, chinese] where !t.contains("{}") { throw .missingPlaceholder(t) }
        self.english = english
        self.chinese = chinese
    }

    private init(uncheckedEnglish: String, chinese: String) {
        self.english = uncheckedEnglish
        self.chinese = chinese
    }

    /// Replaces the template of one language (`auto`: of both); it must contain `{}`.
    public mutating func set(_ template: String, for language: PromptLanguage)
        throws(PromptTemplateError)
    {
        guard template.contains("{}") else { throw .missingPlaceholder(template) }
        switch language {
        case .english: english = template
        case .chinese: chinese = template
        case .auto:
            english = template
            chinese = template
        }
    }

    /// The prompt for `text` in `language` (`auto`: detected from `text`).
    public func apply(_ text: String, language: PromptLanguage) -> String {
        let template = language.resolved(for: text) == .chinese ? chinese : english
        return template.replacingOccurrences(of: "{}", with: text)
    }
}
