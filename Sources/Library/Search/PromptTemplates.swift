import PicseekCore

import Foundation

/// The language of a text query, which picks its prompt template.
public enum QueryLanguage: String, Sendable, CaseIterable {
    case en, zh

    /// `zh` when the text contains any CJK ideograph, else `en`.
    public static func detect(_ text: String) -> QueryLanguage {
        HanScript.contains(text) ? .zh : .en
    }
}

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
    public static let standard = PromptTemplates(uncheckedEnglish: "a photo of {}", chinese: "一张{}的照片")

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

    /// Replaces a template of one language; it must contain `{}`.
    public mutating func set(_ template: String, for language: QueryLanguage)
        throws(PromptTemplateError)
    {
        guard template.contains("{}") else { throw .missingPlaceholder(template) }
        switch language {
        case .en: english = template
        case .zh: chinese = template
        }
    }

    /// The prompt for `text` in `language`.
    public func apply(_ text: String, language: QueryLanguage) -> String {
        let template = language == .zh ? chinese : english
        return template.replacingOccurrences(of: "{}", with: text)
    }
}
