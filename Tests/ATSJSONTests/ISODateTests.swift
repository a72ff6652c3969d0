import ATSJSON
import Testing

/// The one ISO 8601 scanner (ISODate.swift) and the one formatter.
@Suite struct ISODateTests {
    @Test(arguments: [
        ("2015", ISODateScan.Precision.year, nil as Int?),
        ("2015-08", .month, nil),
        ("2015-08-07", .day, nil),
        ("2015-08-07T19", .hour, nil),
        ("2015-08-07T19:00", .minute, nil),
        ("2015-08-07 19:00:40", .second, nil),
        ("2015-08-07t19:00:40Z", .second, 0),
        ("2015-08-07T19:00:40.025+0900", .fraction, 32400),
        ("2015-08-07T19:00:40.025+09:00", .fraction, 32400),
        ("2015-08-07T19:00:40,5-05:30", .fraction, -19800),
        ("2015-08-07T19:00:40.123456789123z", .fraction, 0),
        ("2015-08-07T19+09", .hour, 32400),
    ])
    func accepts(text: String, precision: ISODateScan.Precision, offset: Int?) throws {
        let scan = try #require(ISODateScan(text))
        #expect(scan.precision == precision)
        #expect(scan.utcOffsetSeconds == offset)
    }

    @Test(arguments: [
        "", "15", "2015-8-07", "2015-08-7", "2015-08-07T", "2015-08-07T9:00", "2015-08-07T19:0",
        "2015-08-07T19:00:40.", "2015-08-07T19:00:40+9", "2015-08-07T19:00:40+09:0", "2015-08-07T19:00:40 ",
        "2015-08-07T19:00:40+0900x", "2015/08/07", "2015-08-07X19:00",
    ])
    func rejects(text: String) {
        #expect(ISODateScan(text) == nil)
    }

    @Test func fieldsAndRanges() throws {
        let s = try #require(ISODateScan("2015-08-07T19:00:40.025+0900"))
        #expect([s.year, s.month, s.day, s.hour, s.minute, s.second, s.nanosecond] == [2015, 8, 7, 19, 0, 40, 25_000_000])
        #expect(s.zone == .offset(negative: false, hours: 9, minutes: 0, colon: false, minutesWritten: true))
        #expect(s.millisecondsSinceEpoch() == 1_438_941_640_025)
        #expect(try #require(ISODateScan("2015-02-30")).fieldsInRange(daysOfTheMonth: false))
        #expect(!(try #require(ISODateScan("2015-02-30")).fieldsInRange(daysOfTheMonth: true)))
        #expect(try #require(ISODateScan("2016-02-29")).fieldsInRange(daysOfTheMonth: true))
        #expect(!(try #require(ISODateScan("2015-13-01")).fieldsInRange(daysOfTheMonth: false)))
        #expect(!(try #require(ISODateScan("2015-08-07T24:00")).fieldsInRange(daysOfTheMonth: false)))
        #expect(try #require(ISODateScan("2015-08-07T23:59:60")).fieldsInRange(daysOfTheMonth: false))
        #expect(!(try #require(ISODateScan("2015-08-07T10:00+24:00")).zoneInRange))
        #expect(try #require(ISODateScan("2015-08-07T10:00")).millisecondsSinceEpoch(defaultOffsetSeconds: 32400) == 1_438_909_200_000)
    }

    @Test func formatsTheAPIForm() {
        #expect(ISODate.format(millisecondsSinceEpoch: 1_438_941_640_025, offsetSeconds: 32400, colonInOffset: false)
            == "2015-08-07T19:00:40.025+0900")
        #expect(ISODate.format(millisecondsSinceEpoch: 1_438_941_640_025, offsetSeconds: 32400, colonInOffset: true)
            == "2015-08-07T19:00:40.025+09:00")
        #expect(ISODate.format(millisecondsSinceEpoch: -1, offsetSeconds: -19800, colonInOffset: true)
            == "1969-12-31T18:29:59.999-05:30")
    }
}
