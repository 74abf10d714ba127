extension SearchInvocation {
    /// Throws when the options ask for no search, for two kinds at once, for fewer than one
    /// result, or for both cutoffs.
    ///
    /// These checks need neither the index nor the model: the command makes them before it
    /// runs, as usage errors.
    public func validate() throws(SearchUsageError) {
        if query.isEmpty && like == nil && text == nil {
            throw SearchUsageError("give a query, --text WORDS or --like PHOTO")
        }
        if text != nil && (!query.isEmpty || like != nil) {
            throw SearchUsageError("--text searches only words in photos: give no other query")
        }
        if !query.isEmpty && like != nil {
            throw SearchUsageError("give either a query or --like, not both")
        }
        if top < 1 { throw SearchUsageError("--top must be at least 1") }
        if minRatio != nil && within != nil {
            throw SearchUsageError("give either --min-ratio or --within, not both")
        }
    }
}

/// Options of one `picseek search` that cannot go together; the message names them.
public struct SearchUsageError: Error, Equatable, CustomStringConvertible {
    /// The message.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
