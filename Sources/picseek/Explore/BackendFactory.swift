import Explorer

/// The index-backed explorer backend for `roots`, or nil when this build has
/// none.
///
/// The search engine and index (the Library module) are built on another
/// branch; the integrator replaces this body with the Library-backed
/// `ExplorerBackend`. Until then `picseek explore` says plainly that there is
/// no index to browse instead of showing invented results.
func makeExplorerBackend(roots: [String]) throws -> ExplorerBackend? {
    nil
}
