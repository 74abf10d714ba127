import ModelFiles

/// A value built by `PickleReader`: only the shapes of data `torch.save` produces.
///
/// Lists and dicts are reference boxes because pickle mutates them after
/// memoising them (APPEND, SETITEM).
public indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// An allow-listed global (a class or function named by GLOBAL), not yet called.
    case global(TorchGlobal)
    /// A storage named by a persistent id.
    case storage(TorchStorage)
    /// A tensor rebuilt from a storage.
    case tensor(TorchTensor)

    /// A short name of the value's kind, for error messages.
    var kind: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .global(let g): return "global \(g.qualifiedName)"
        case .storage: return "storage"
        case .tensor: return "tensor"
        }
    }
}

/// A mutable pickle list.
public final class PickleList {
    public var items: [PickleValue] = []
}

/// A mutable pickle dict that keeps insertion order (dicts and OrderedDicts alike).
public final class PickleDict {
    public private(set) var keys: [PickleValue] = []
    public private(set) var values: [PickleValue] = []
    private var stringIndex: [String: Int] = [:]

    /// Sets `key` to `value`, replacing an existing string key.
    public func set(_ key: PickleValue, _ value: PickleValue) {
        if case .string(let s) = key, let i = stringIndex[s] {
            values[i] = value
            return
        }
        if case .string(let s) = key { stringIndex[s] = keys.count }
        keys.append(key)
        values.append(value)
    }

    /// The value for a string key.
    public subscript(key: String) -> PickleValue? {
        stringIndex[key].map { values[$0] }
    }
}

/// The globals the reader accepts; anything else is refused before it could run.
public enum TorchGlobal: Equatable {
    case orderedDict
    case rebuildTensorV2
    case rebuildTensor
    case rebuildParameter
    case rebuildParameterWithState
    case rebuildFromTypeV2
    case tensorType(String)
    case storageType(TensorDType, String)
    case dtype(TensorDType)
    case codecsEncode

    /// Resolves `module.name`, or nil when it is not allow-listed.
    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("torch._utils", "_rebuild_tensor"): self = .rebuildTensor
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch._utils", "_rebuild_parameter_with_state"): self = .rebuildParameterWithState
        case ("torch._tensor", "_rebuild_from_type_v2"): self = .rebuildFromTypeV2
        case ("torch", "Tensor"), ("torch._tensor", "Tensor"), ("torch.nn.parameter", "Parameter"):
            self = .tensorType(name)
        case ("_codecs", "encode"): self = .codecsEncode
        case ("torch", _):
            if let t = TensorDType(torchStorage: name) {
                self = .storageType(t, name)
            } else if let t = TensorDType(torchDType: name) {
                self = .dtype(t)
            } else {
                return nil
            }
        default: return nil
        }
    }

    var qualifiedName: String {
        switch self {
        case .orderedDict: return "collections.OrderedDict"
        case .rebuildTensorV2: return "torch._utils._rebuild_tensor_v2"
        case .rebuildTensor: return "torch._utils._rebuild_tensor"
        case .rebuildParameter: return "torch._utils._rebuild_parameter"
        case .rebuildParameterWithState: return "torch._utils._rebuild_parameter_with_state"
        case .rebuildFromTypeV2: return "torch._tensor._rebuild_from_type_v2"
        case .tensorType(let n): return "torch.\(n)"
        case .storageType(_, let n): return "torch.\(n)"
        case .dtype(let t): return "torch.\(t.rawValue)"
        case .codecsEncode: return "_codecs.encode"
        }
    }
}

/// A storage of a torch checkpoint: a zip entry holding `count` elements of `dtype`.
public struct TorchStorage {
    /// The persistent key, e.g. "0"; the bytes live in `<prefix>/data/<key>`.
    public var key: String
    public var dtype: TensorDType
    /// Byte range of the storage in the mapped file.
    public var byteRange: Range<Int>

    /// Number of elements the storage holds.
    public var elementCount: Int { byteRange.count / dtype.size }
}

/// A tensor view on a storage: element offset, shape and strides (in elements).
public struct TorchTensor {
    public var storage: TorchStorage
    public var offset: Int
    public var shape: [Int]
    public var strides: [Int]

    /// The dtype of the elements.
    public var dtype: TensorDType { storage.dtype }

    /// Number of elements.
    public var elementCount: Int { shape.reduce(1, *) }

    /// True when the elements are laid out row-major without gaps.
    public var isContiguous: Bool {
        var expected = 1
        for (size, stride) in zip(shape, strides).reversed() where size != 1 {
            if stride != expected { return false }
            expected *= size
        }
        return true
    }
}
