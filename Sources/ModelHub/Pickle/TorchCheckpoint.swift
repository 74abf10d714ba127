import ModelFiles

/// A PyTorch checkpoint written by `torch.save` (zip format): its tensors, read without
/// executing the pickle and without copying the storages (they stay memory-mapped).
///
/// Legacy (pre-1.6, non-zip) checkpoints are refused with a clear error.
public final class TorchCheckpoint {
    /// The mapped file.
    public let file: MappedFile
    /// The unpickled top-level value.
    public let root: PickleValue

    /// Opens and unpickles the checkpoint at `path`.
    public init(path: String) throws {
        file = try ModelHubError.mappingFileErrors { try MappedFile(path: path) }
        guard ZipArchive.looksLikeZip(file) else {
            let legacy =
                file.count >= 2 ? (try? file.bytes(0..<2)).map { $0[0] == 0x80 } ?? false : false
            throw ModelHubError.badCheckpoint(
                file: path,
                reason: legacy
                    ? "legacy (non-zip) torch.save format is not supported; re-save it with "
                        + "torch.save(obj, path) from PyTorch 1.6 or newer"
                    : "not a PyTorch zip checkpoint")
        }
        let zip = try ZipArchive(file)
        guard let pkl = zip.names.first(where: { $0 == "data.pkl" || $0.hasSuffix("/data.pkl") }),
            let pklEntry = zip.entries[pkl]
        else { throw ModelHubError.badCheckpoint(file: path, reason: "no data.pkl in the archive") }
        let prefix = String(pkl.dropLast("data.pkl".count))
        if let order = zip.entries[prefix + "byteorder"] {
            let text = String(decoding: try zip.bytes(of: order), as: UTF8.self)
            guard text == "little" else {
                throw ModelHubError.badCheckpoint(
                    file: path, reason: "byte order \(text) is not supported")
            }
        }
        let loader: PickleReader.PersistentLoader = { pid in
            guard case .tuple(let parts) = pid, parts.count >= 3,
                case .string("storage") = parts[0],
                case .global(.storageType(let dtype, _)) = parts[1],
                case .string(let key) = parts[2]
            else {
                throw ModelHubError.badCheckpoint(
                    file: path, reason: "pickle: unknown persistent id \(pid.kind)")
            }
            guard let entry = zip.entries[prefix + "data/" + key] else {
                throw ModelHubError.badCheckpoint(
                    file: path, reason: "storage \(key) missing from the archive")
            }
            return .storage(
                TorchStorage(
                    key: key, dtype: dtype,
                    byteRange: entry.dataOffset..<entry.dataOffset + entry.size))
        }
        var reader = PickleReader(
            data: try zip.bytes(of: pklEntry), file: path, persistentLoad: loader)
        root = try reader.read()
    }

    /// The state dict: the top-level dict of tensors, or the one under "state_dict"
    /// (or "model"), in file order. Non-tensor values are listed in `skipped`.
    public func stateDict() throws -> (
        tensors: [(name: String, tensor: TorchTensor)], skipped: [String]
    ) {
        guard case .dict(var dict) = root else {
            throw ModelHubError.badCheckpoint(
                file: file.path, reason: "top level is a \(root.kind), not a dict")
        }
        for key in ["state_dict", "model"] {
            if case .dict(let inner)? = dict[key] { dict = inner; break }
        }
        var tensors: [(String, TorchTensor)] = []
        var skipped: [String] = []
        for (k, v) in zip(dict.keys, dict.values) {
            guard case .string(let name) = k else { continue }
            if case .tensor(let t) = v { tensors.append((name, t)) } else { skipped.append(name) }
        }
        guard !tensors.isEmpty else {
            throw ModelHubError.badCheckpoint(
                file: file.path, reason: "no tensors found in the state dict")
        }
        return (tensors, skipped)
    }

    /// Writes the tensor's elements in row-major order, gathering strided views, then
    /// releases the storage's pages so converting a large file keeps a small resident set.
    public func write(_ t: TorchTensor, to out: OutputFile) throws {
        defer { file.release(t.storage.byteRange) }
        let es = t.dtype.size
        let storage = try ModelHubError.mappingFileErrors { try file.bytes(t.storage.byteRange) }
        if t.elementCount == 0 { return }
        if t.isContiguous {
            let start = t.offset * es
            try out.write(
                UnsafeRawBufferPointer(rebasing: storage[start..<start + t.elementCount * es]))
            return
        }
        var row = [UInt8](repeating: 0, count: (t.shape.last ?? 1) * es)
        let rank = t.shape.count
        var index = [Int](repeating: 0, count: max(rank - 1, 0))
        let lastStride = t.strides.last ?? 1
        let rows = t.elementCount / max(t.shape.last ?? 1, 1)
        for _ in 0..<rows {
            var base = t.offset
            for d in 0..<index.count { base += index[d] * t.strides[d] }
            for j in 0..<(t.shape.last ?? 1) {
                let src = (base + j * lastStride) * es
                for b in 0..<es { row[j * es + b] = storage[src + b] }
            }
            try out.write(row)
            var d = index.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < t.shape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
    }
}

extension TorchTensor {
    /// The same elements viewed transposed (2-D only): no bytes move until written.
    func transposed() -> TorchTensor? {
        guard shape.count == 2 else { return nil }
        return TorchTensor(
            storage: storage, offset: offset, shape: [shape[1], shape[0]],
            strides: [strides[1], strides[0]])
    }

    /// Rows `range` of dimension 0, as a view.
    func rows(_ range: Range<Int>) -> TorchTensor {
        var s = shape
        s[0] = range.count
        return TorchTensor(
            storage: storage, offset: offset + range.lowerBound * strides[0], shape: s,
            strides: strides)
    }
}
