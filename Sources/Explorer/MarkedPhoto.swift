/// A photo marked for printing when the explorer ends.
public struct MarkedPhoto: Equatable, Sendable {
    /// The photo's id in the index.
    public var photoID: Int64
    /// Its path exactly as stored.
    public var pathBytes: [UInt8]

    /// Creates a mark for the photo `photoID` stored at `pathBytes`.
    public init(photoID: Int64, pathBytes: [UInt8]) {
        self.photoID = photoID
        self.pathBytes = pathBytes
    }
}
