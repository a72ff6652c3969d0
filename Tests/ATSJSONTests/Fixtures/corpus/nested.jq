{
  "a": {},
  "b": [],
  "c": [
    {}
  ],
  "d": [
    []
  ],
  "e": {
    "f": {
      "g": {
        "h": [
          1,
          [
            2,
            [
              3,
              {
                "i": null
              }
            ]
          ]
        ]
      }
    }
  },
  "z": true,
  "y": false,
  "x": null,
  "w": [
    true,
    false,
    null,
    0,
    "s",
    {},
    []
  ],
  "ключ": "значение",
  "": "empty key"
}
