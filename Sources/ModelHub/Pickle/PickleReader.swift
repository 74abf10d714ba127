import Foundation

/// Reads the subset of the pickle protocol that `torch.save` writes (protocols 2 to 5),
/// without executing anything.
///
/// GLOBAL and STACK_GLOBAL are resolved against `TorchGlobal`'s allow-list the moment
/// they are read; any other global (`os.system`, `builtins.eval`, …) stops the reader
/// with `ModelHubError.forbiddenGlobal`. REDUCE only "calls" allow-listed tensor-rebuild
/// functions, which this reader implements itself. Protocol-0 text opcodes and
/// INST/OBJ/NEWOBJ are refused.
public struct PickleReader {
    /// Turns a BINPERSID id (a tuple) into a value, e.g. a storage.
    public typealias PersistentLoader = (PickleValue) throws -> PickleValue

    private let data: UnsafeRawBufferPointer
    private let file: String
    private let persistentLoad: PersistentLoader
    private var pos = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    /// Prepares to read `data`; `file` names the source in errors.
    public init(
        data: UnsafeRawBufferPointer, file: String, persistentLoad: @escaping PersistentLoader
    ) {
        self.data = data
        self.file = file
        self.persistentLoad = persistentLoad
    }

    private func fail(_ why: String) -> ModelHubError {
        .badCheckpoint(file: file, reason: "pickle: " + why)
    }

    private mutating func byte() throws -> UInt8 {
        guard pos < data.count else { throw fail("unexpected end of data") }
        defer { pos += 1 }
        return data[pos]
    }

    private mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, pos + n <= data.count else { throw fail("unexpected end of data") }
        defer { pos += n }
        return UnsafeRawBufferPointer(rebasing: data[pos..<pos + n])
    }

    private mutating func uint(_ n: Int) throws -> UInt64 {
        let b = try take(n)
        var v: UInt64 = 0
        for i in (0..<n).reversed() { v = v << 8 | UInt64(b[i]) }
        return v
    }

    private mutating func line() throws -> String {
        guard let end = data[pos...].firstIndex(of: 0x0A) else { throw fail("unterminated line") }
        let s = String(decoding: UnsafeRawBufferPointer(rebasing: data[pos..<end]), as: UTF8.self)
        pos = end + 1
        return s
    }

    private mutating func pop() throws -> PickleValue {
        guard let v = stack.popLast() else { throw fail("stack underflow at offset \(pos)") }
        if let m = marks.last, stack.count < m {
            throw fail("stack underflow past a mark at offset \(pos)")
        }
        return v
    }

    private mutating func popMark() throws -> [PickleValue] {
        guard let m = marks.popLast(), m <= stack.count else {
            throw fail("missing MARK at offset \(pos)")
        }
        let items = Array(stack[m...])
        stack.removeSubrange(m...)
        return items
    }

    private func string(_ bytes: UnsafeRawBufferPointer) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw fail("invalid UTF-8 string")
        }
        return s
    }

    private func resolveGlobal(module: String, name: String) throws -> PickleValue {
        guard let g = TorchGlobal(module: module, name: name) else {
            throw ModelHubError.forbiddenGlobal(file: file, global: "\(module).\(name)")
        }
        return .global(g)
    }

    /// Reads the whole pickle and returns its top-level value.
    public mutating func read() throws -> PickleValue {
        while true {
            let opAt = pos
            let op = try byte()
            switch op {
            case 0x80: _ = try byte() // PROTO
            case 0x95: _ = try take(8) // FRAME
            case 0x2E: // STOP
                guard let top = stack.last, stack.count == 1, marks.isEmpty else {
                    throw fail("STOP with \(stack.count) values on the stack")
                }
                return top
            case 0x28: marks.append(stack.count) // MARK
            case 0x7D: stack.append(.dict(PickleDict())) // EMPTY_DICT
            case 0x5D: stack.append(.list(PickleList())) // EMPTY_LIST
            case 0x29: stack.append(.tuple([])) // EMPTY_TUPLE
            case 0x64: // DICT
                let items = try popMark()
                guard items.count % 2 == 0 else { throw fail("DICT with an odd number of items") }
                let d = PickleDict()
                for i in stride(from: 0, to: items.count, by: 2) { d.set(items[i], items[i + 1]) }
                stack.append(.dict(d))
            case 0x6C: // LIST
                let l = PickleList()
                l.items = try popMark()
                stack.append(.list(l))
            case 0x74: stack.append(.tuple(try popMark())) // TUPLE
            case 0x85: stack.append(.tuple([try pop()])) // TUPLE1
            case 0x86: // TUPLE2
                let b = try pop(), a = try pop()
                stack.append(.tuple([a, b]))
            case 0x87: // TUPLE3
                let c = try pop(), b = try pop(), a = try pop()
                stack.append(.tuple([a, b, c]))
            case 0x71: memo[Int(try uint(1))] = try top() // BINPUT
            case 0x72: memo[Int(try uint(4))] = try top() // LONG_BINPUT
            case 0x94: memo[memo.count] = try top() // MEMOIZE
            case 0x68, 0x6A: // BINGET, LONG_BINGET
                let key = Int(try uint(op == 0x68 ? 1 : 4))
                guard let v = memo[key] else { throw fail("memo key \(key) not found") }
                stack.append(v)
            case 0x63: // GLOBAL
                let module = try line(), name = try line()
                stack.append(try resolveGlobal(module: module, name: name))
            case 0x93: // STACK_GLOBAL
                guard case .string(let name) = try pop(), case .string(let module) = try pop()
                else {
                    throw fail("STACK_GLOBAL without two strings")
                }
                stack.append(try resolveGlobal(module: module, name: name))
            case 0x51: stack.append(try persistentLoad(try pop())) // BINPERSID
            case 0x52: // REDUCE
                let args = try pop(), callable = try pop()
                guard case .global(let g) = callable, case .tuple(let a) = args else {
                    throw fail("REDUCE of \(callable.kind) with \(args.kind) at offset \(opAt)")
                }
                stack.append(try call(g, a))
            case 0x62: // BUILD
                let state = try pop()
                guard let target = stack.last else { throw fail("BUILD on an empty stack") }
                switch target {
                case .dict, .tensor: break // OrderedDict._metadata, tensor python state: ignored
                default: throw fail("BUILD of \(target.kind) with \(state.kind) is not supported")
                }
            case 0x73: // SETITEM
                let v = try pop(), k = try pop()
                guard case .dict(let d) = try top() else { throw fail("SETITEM on a non-dict") }
                d.set(k, v)
            case 0x75: // SETITEMS
                let items = try popMark()
                guard items.count % 2 == 0 else {
                    throw fail("SETITEMS with an odd number of items")
                }
                guard case .dict(let d) = try top() else { throw fail("SETITEMS on a non-dict") }
                for i in stride(from: 0, to: items.count, by: 2) { d.set(items[i], items[i + 1]) }
            case 0x61: // APPEND
                let v = try pop()
                guard case .list(let l) = try top() else { throw fail("APPEND on a non-list") }
                l.items.append(v)
            case 0x65: // APPENDS
                let items = try popMark()
                guard case .list(let l) = try top() else { throw fail("APPENDS on a non-list") }
                l.items.append(contentsOf: items)
            case 0x4A: stack.append(.int(Int64(Int32(truncatingIfNeeded: try uint(4))))) // BININT
            case 0x4B: stack.append(.int(Int64(try uint(1)))) // BININT1
            case 0x4D: stack.append(.int(Int64(try uint(2)))) // BININT2
            case 0x8A, 0x8B: // LONG1, LONG4
                let n = Int(try uint(op == 0x8A ? 1 : 4))
                guard n <= 8 else { throw fail("integer of \(n) bytes is too large") }
                let b = try take(n)
                var v: UInt64 = 0
                for i in (0..<n).reversed() { v = v << 8 | UInt64(b[i]) }
                if n > 0, n < 8, b[n - 1] & 0x80 != 0 { v |= ~UInt64(0) << UInt64(n * 8) }
                stack.append(.int(Int64(bitPattern: v)))
            case 0x4E: stack.append(.none) // NONE
            case 0x88: stack.append(.bool(true)) // NEWTRUE
            case 0x89: stack.append(.bool(false)) // NEWFALSE
            case 0x47: stack.append(.float(Double(bitPattern: try uint(8).byteSwapped))) // BINFLOAT
            case 0x58: stack.append(.string(try string(try take(Int(try uint(4)))))) // BINUNICODE
            // SHORT_BINUNICODE
            case 0x8C: stack.append(.string(try string(try take(Int(try uint(1))))))
            case 0x8D: stack.append(.string(try string(try take(Int(try uint(8)))))) // BINUNICODE8
            case 0x54, 0x55: // BINSTRING, SHORT_BINSTRING (protocol-1 str, latin-1)
                let b = try take(Int(try uint(op == 0x54 ? 4 : 1)))
                stack.append(.string(String(b.map { Character(Unicode.Scalar($0)) })))
            case 0x42, 0x43, 0x8E: // BINBYTES, SHORT_BINBYTES, BINBYTES8
                let n = Int(try uint(op == 0x42 ? 4 : op == 0x43 ? 1 : 8))
                stack.append(.bytes(Array(try take(n))))
            case 0x30: _ = try pop() // POP
            case 0x31: _ = try popMark() // POP_MARK
            case 0x32: stack.append(try top()) // DUP
            case 0x69, 0x6F, 0x81, 0x92:
                throw fail(
                    "opcode \(opName(op)) at offset \(opAt) builds arbitrary objects; refused")
            default:
                throw fail(String(format: "unsupported opcode 0x%02x at offset %d", op, opAt))
            }
        }
    }

    private func top() throws -> PickleValue {
        guard let v = stack.last else { throw fail("stack underflow at offset \(pos)") }
        return v
    }

    private func opName(_ op: UInt8) -> String {
        switch op {
        case 0x69: return "INST"
        case 0x6F: return "OBJ"
        case 0x81: return "NEWOBJ"
        default: return "NEWOBJ_EX"
        }
    }

    /// Applies an allow-listed global to its arguments.
    private func call(_ g: TorchGlobal, _ a: [PickleValue]) throws -> PickleValue {
        switch g {
        case .orderedDict:
            guard a.isEmpty else { throw fail("OrderedDict with arguments") }
            return .dict(PickleDict())
        case .rebuildTensorV2, .rebuildTensor:
            guard a.count >= 4, case .storage(let s) = a[0], case .int(let offset) = a[1],
                case .tuple(let sizeValues) = a[2], case .tuple(let strideValues) = a[3]
            else { throw fail("\(g.qualifiedName) with unexpected arguments") }
            let shape = try ints(sizeValues), strides = try ints(strideValues)
            guard shape.count == strides.count else {
                throw fail("tensor size and stride differ in rank")
            }
            let t = TorchTensor(storage: s, offset: Int(offset), shape: shape, strides: strides)
            try checkBounds(t)
            return .tensor(t)
        case .rebuildParameter, .rebuildParameterWithState:
            guard let first = a.first, case .tensor = first else {
                throw fail("\(g.qualifiedName) without a tensor")
            }
            return first
        case .rebuildFromTypeV2:
            // (func, new_type, args, state): only when func and args rebuild a tensor.
            guard a.count >= 3, case .global(let f) = a[0], case .global(.tensorType) = a[1],
                case .tuple(let args) = a[2]
            else { throw fail("_rebuild_from_type_v2 with unexpected arguments") }
            return try call(f, args)
        case .codecsEncode:
            guard a.count == 2, case .string(let s) = a[0] else {
                throw fail("_codecs.encode arguments")
            }
            return .bytes(s.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        case .tensorType, .storageType, .dtype:
            throw fail("\(g.qualifiedName) cannot be called")
        }
    }

    private func ints(_ values: [PickleValue]) throws -> [Int] {
        try values.map { v in
            guard case .int(let i) = v, i >= 0 else {
                throw fail("tensor size or stride is not a non-negative int")
            }
            return Int(i)
        }
    }

    private func checkBounds(_ t: TorchTensor) throws {
        if t.shape.contains(0) { return }
        var last = t.offset
        for (size, stride) in zip(t.shape, t.strides) {
            let (m, o1) = (size - 1).multipliedReportingOverflow(by: stride)
            let (s, o2) = last.addingReportingOverflow(m)
            guard !o1, !o2 else { throw fail("tensor extent overflows") }
            last = s
        }
        guard t.offset >= 0, last < t.storage.elementCount else {
            throw fail(
                "tensor view (offset \(t.offset), shape \(t.shape), strides \(t.strides)) "
                    + "reaches past its storage of \(t.storage.elementCount) elements")
        }
    }
}
