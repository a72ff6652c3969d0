{
  "errorSource": "http://10.196.184.238:22015/Automation/v1/objects/Tasks/555",
  "message": "The specified resource does not exist or you do not have access. ...",
  "messageID": "KNAE02102-E",
  "application": "Automation"
}
