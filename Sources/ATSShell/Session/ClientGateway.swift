import AOClient
import ATSJSON

/// The gateway of a connected session: every request goes through the client, which owns
/// authentication, HSSO tokens, headers, retries and `APIError`.
struct ClientGateway: APIGateway {
    let client: AOClient

    var baseURL: String { client.address.apiRoot }

    func send(_ request: APIRequestSpec) async throws(APIError) -> APIReply {
        switch request.body {
        case .file(let name, let bytes):
            let job = try await client.importServiceTemplate(fileName: name, contents: bytes)
            var out: [UInt8] = []
            JSONWriter.compact.write(job.raw, into: &out)
            return APIReply(status: 200, headers: HTTPHeaderFields(), body: out)
        case .none, .json:
            var headers = HTTPHeaderFields()
            if let accept = request.accept { headers.add("Accept", accept) }
            var body: JSON?
            if case .json(let j) = request.body { body = j }
            let response = try await client.send(request.method, request.path, query: request.query, body: body, headers: headers)
            return APIReply(status: response.status, headers: response.headers, body: response.body)
        }
    }

    func exportTemplate(_ id: Int) async throws(APIError) -> (bytes: [UInt8], filename: String?) {
        let file = try await client.exportServiceTemplate(id)
        return (file.bytes, file.filename)
    }
}
