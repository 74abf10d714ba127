/// What the scanner looks at and what it skips.
public struct ScanOptions: Sendable {
    /// Enter hidden folders and read hidden files (names starting with ".").
    public var includeHidden = false
    /// Folder names never entered (exact names; `prefixJunk` holds prefixes).
    public var junkNames: Set<String> = ScanOptions.defaultJunkNames
    /// Folder name prefixes never entered, e.g. ".Trash" for ".Trash-1000".
    public var junkPrefixes: [String] = [".Trash"]
    /// `fnmatch(3)` patterns; one containing "/" is matched against the whole
    /// path, otherwise against the file or folder name.
    public var excludeGlobs: [String] = []
    /// File extensions (lower case, no dot) that are photos.
    public var extensions: Set<String> = ScanOptions.defaultExtensions
    /// Follow symbolic links to files and folders (loops are detected).
    public var followSymlinks = true

    /// Names of folders that hold caches, trash, VCS data or NAS thumbnails.
    public static let defaultJunkNames: Set<String> = [
        ".git", ".hg", ".svn", "node_modules", "@eaDir", ".thumbnails", "__MACOSX",
        "lost+found", "$RECYCLE.BIN", "System Volume Information", ".Spotlight-V100",
        ".fseventsd", ".cache", "#recycle", "@Recycle", ".@__thumb",
    ]

    /// Formats the image pipeline decodes.
    public static let defaultExtensions = Set([
        "jpg", "jpeg", "jpe", "jfif", "png", "webp", "gif", "tif", "tiff",
        "heic", "heif", "avif",
    ]).union(rawExtensions)

    /// Camera RAW files, read through their embedded preview JPEG.
    public static let rawExtensions: Set<String> = [
        "dng", "cr2", "cr3", "nef", "nrw", "arw", "orf", "rw2", "raf",
    ]

    /// Extensions of photo formats the pipeline does not decode: such files are
    /// counted (`ScanResult.skipped`), so the user learns they were left out.
    public static let otherImageExtensions: Set<String> = [
        "bmp", "jxl", "pef", "srw",
    ]

    public init() {}
}
