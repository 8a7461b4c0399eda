#pragma once
// Writes the XML answers of the AWS protocols that speak it (SQS's query protocol, S3's REST):
// nested elements with escaped text, nothing more.

#include <string>
#include <string_view>
#include <vector>

namespace lambdesk::engine::common {

class XmlWriter {
public:
    XmlWriter();
    void open(std::string_view name, std::string_view xmlNamespace = {});
    void close();
    void element(std::string_view name, std::string_view text);
    const std::string &text() const { return m_text; }

private:
    void appendEscaped(std::string_view text);
    std::string m_text;
    std::vector<std::string> m_open;
};

} // namespace lambdesk::engine::common
