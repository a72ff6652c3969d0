{
  "name": "forceStop",
  "href": "http://host:22015/Automation/v1/objects/Tasks/5381/actions/forceStop/invoke",
  "method": "POST",
  "parameters": []
}
