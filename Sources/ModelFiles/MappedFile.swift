import PicseekCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only memory map of a whole file.
///
/// Pages are read from disk only when touched, so opening a multi-gigabyte
/// checkpoint costs no resident memory until its bytes are used. The file is opened
/// with `FileRead.withOpenFile`, so a FIFO or a device is refused instead of mapped.
/// The corresponding C functions are `open`, `fstat` and `mmap`.
public final class MappedFile: @unchecked Sendable {
    /// The path the file was opened from.
    public let path: String
    /// The file's size in bytes.
    public let count: Int
    private let base: UnsafeRawPointer?

    /// Maps `path` read-only.
    public init(path: String) throws(ModelFileError) {
        self.path = path
        let mapped: (count: Int, base: UnsafeRawPointer?)
        do {
            mapped = try FileRead.withOpenFile(path) { fd, info -> (Int, UnsafeRawPointer?) in
                let count = Int(info.st_size)
                if count == 0 { return (0, nil) }
                let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
                guard let p, p != MAP_FAILED else {
                    let reason = "mmap: " + FileRead.errorText(errno)
                    throw ModelFileError.io(path: path, reason: reason)
                }
                return (count, UnsafeRawPointer(p))
            }
        } catch let error as ModelFileError {
            throw error
        } catch let error as FileReadError {
            switch error {
            case .system(_, _, let code): throw .io(path: path, reason: FileRead.errorText(code))
            default: throw .io(path: path, reason: "not a regular file")
            }
        } catch {
            throw .io(path: path, reason: "\(error)")
        }
        count = mapped.count
        base = mapped.base
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// The bytes in `range`, which must lie inside the file (checked).
    public func bytes(_ range: Range<Int>) throws(ModelFileError) -> UnsafeRawBufferPointer {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw .outOfBounds(
                file: path, reason: "byte range \(range) lies outside the file (\(count) bytes)")
        }
        guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// Tells the kernel the pages of `range` are not needed any more, so they leave this
    /// process's resident set (they are read again from the file if touched later).
    /// The corresponding C function is `madvise`.
    public func release(_ range: Range<Int>) {
        guard let base, range.lowerBound >= 0, range.upperBound <= count, !range.isEmpty else {
            return
        }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = range.lowerBound / page * page
        let end = range.upperBound
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    /// Reads a little-endian unsigned integer of `size` bytes at `offset`.
    public func littleEndian(at offset: Int, size: Int) throws(ModelFileError) -> UInt64 {
        let b = try bytes(offset..<offset + size)
        var v: UInt64 = 0
        for i in (0..<size).reversed() { v = v << 8 | UInt64(b[i]) }
        return v
    }
}
