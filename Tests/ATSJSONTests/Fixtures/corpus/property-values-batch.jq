{
  "pagination": {},
  "data": [
    {
      "instanceID": 7,
      "value": "ops@example.com",
      "readOnly": false,
      "hidden": false
    },
    {
      "instanceID": 24,
      "value": "",
      "readOnly": true,
      "hidden": true
    }
  ],
  "count": 2
}
