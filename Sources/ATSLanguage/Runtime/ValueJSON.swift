import ATSJSON

extension Value {
    /// The language value of a JSON value (no times are guessed: dates stay strings until `date()`).
    public init(_ json: JSON) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .list(items.map(Value.init))
        case .object(let o):
            // `o.keys` is the parser's array, shared by objects with the same members.
            self = .object(ValueObject(uncheckedUniqueKeys: o.keys, values: o.values.map(Value.init)))
        }
    }

    /// The same as `Value(json)`, but each part of `json` is released as soon as it is
    /// converted when `json` is its only reference, so that a large document and its value
    /// are not both whole in memory (`parse_json`).
    static func releasing(_ json: consuming JSON) -> Value {
        switch consume json {
        case .array(let items):
            return .list(releasingEach(consume items))
        case .object(var o):
            let keys = o.keys
            let values = o.values
            o = JSONObject()
            return .object(ValueObject(uncheckedUniqueKeys: keys, values: releasingEach(consume values)))
        case let other:
            return Value(other)
        }
    }

    /// `releasing` of each item, each set to null in `items` once converted.
    private static func releasingEach(_ items: consuming [JSON]) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for i in items.indices {
            let item = items[i]
            items[i] = .null
            out.append(releasing(item))
        }
        return out
    }

    /// The JSON form: times as the API's ISO 8601 text, durations as their text (`90s`),
    /// secrets as `********`, errors as an object of their fields, functions as their name.
    public func toJSON() -> JSON {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .list(let items): return .array(items.map { $0.toJSON() })
        case .object(let o):
            return .object(JSONObject(uncheckedUniqueKeys: o.keys, values: o.values.map { $0.toJSON() }))
        case .time(let t): return .string(t.iso8601)
        case .duration(let d): return .string(DurationText.format(d))
        case .secret(let s): return .string(s.description)
        case .error(let e): return Value.object(e.allFields).toJSON()
        case .function(let f): return .string("fn \(f.name)")
        }
    }
}

extension ErrorValue {
    /// `fields` plus `kind`, `message` and `location`, as scripts see them.
    public var allFields: ValueObject {
        var all = fields
        if all["kind"] == nil { all["kind"] = .string(kind.rawValue) }
        if all["message"] == nil { all["message"] = .string(summary) }
        if all["location"] == nil, let location { all["location"] = .string(location.description) }
        if all["command"] == nil, let command { all["command"] = .string(command) }
        return all
    }
}

/// Durations as the language writes them: `500ms`, `10s`, `5m`, `2h`, `1d`, `1h30m`.
public enum DurationText {
    public static func format(_ d: Duration) -> String {
        let (seconds, attoseconds) = d.components
        var ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if ms == 0 { return "0s" }
        var out = ms < 0 ? "-" : ""
        ms = abs(ms)
        let units: [(Int64, String)] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s"), (1, "ms")]
        for (size, unit) in units where ms >= size {
            out += "\(ms / size)\(unit)"
            ms %= size
        }
        return out
    }
}

extension TimeValue {
    /// `yyyy-mm-ddThh:mm:ss.mmm+hh:mm`, in the offset the time was written with (the form
    /// the API accepts on input).
    public var iso8601: String { format(colonInOffset: true) }

    /// The text, with or without a colon in the offset (the API writes `+0900`, reads `+09:00`).
    public func format(colonInOffset: Bool) -> String {
        ISODate.format(millisecondsSinceEpoch: millisecondsSinceEpoch, offsetSeconds: utcOffsetSeconds, colonInOffset: colonInOffset)
    }
}
