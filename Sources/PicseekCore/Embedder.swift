/// What the index and the search engine need from a CLIP model.
///
/// The model code (`CLIP`) implements it; the indexer and the explorer only
/// see this protocol, so they are tested with small fakes.
public protocol Embedder: AnyObject, Sendable {
    /// Identity of the model whose vectors this produces.
    var model: EmbedderIdentity { get }
    /// The input the image tower expects.
    var preprocess: PreprocessSpec { get }
    /// Embeds a batch of preprocessed images (each `3 * size * size` planar
    /// floats) and returns one L2-normalised vector per image, in order.
    func embedImages(_ batch: [[Float]]) throws -> [[Float]]
    /// Embeds one text and returns an L2-normalised vector.
    func embedText(_ text: String) throws -> [Float]
}

/// The name, family, vector size and weights fingerprint of a model.
public struct EmbedderIdentity: Equatable, Sendable {
    /// Short name, e.g. "chinese-clip-vit-base-patch16".
    public var name: String
    /// Architecture family, e.g. "chinese-clip" or "openclip-xlmr".
    public var family: String
    /// Length of every vector, e.g. 512.
    public var dimension: Int
    /// Identifies the exact weights (e.g. SHA-256 of the weights file header and size).
    public var fingerprint: String

    public init(name: String, family: String, dimension: Int, fingerprint: String) {
        self.name = name
        self.family = family
        self.dimension = dimension
        self.fingerprint = fingerprint
    }
}
