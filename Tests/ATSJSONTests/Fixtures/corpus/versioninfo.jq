{
  "productName": "JP1/Automatic Operation",
  "productVersion": "11-00-00",
  "apiVersion": "01.01.00"
}
