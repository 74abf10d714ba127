import PicseekCore
import Store

extension Indexer {
    /// Makes `folder` (canonical) this machine's mount of the named root `name`, under the
    /// index's writer lock (`picseek index --root-name NAME DIR`): the same NAS mounted at
    /// other folders on other machines is then one set of photos.
    ///
    /// - Throws: `RootNameError` (bad name, folder named otherwise here, SQLite index) or the
    ///   database's errors.
    public static func nameRoot(_ folder: [UInt8], name: String, store: any PhotoIndex) throws {
        try RootPaths.validate(name: name)
        // The folder as the scanner will see it (no symlinks, no doubled slashes).
        let folder = (try? RawPath.canonical(folder).get()) ?? folder
        let lock = try store.lockForWriting()
        defer { lock?.release() }
        try store.addRoot(folder, name: name)
    }
}
