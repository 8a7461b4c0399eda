#include "common/xmlwriter.h"

namespace lambdesk::engine::common {

XmlWriter::XmlWriter() : m_text("<?xml version=\"1.0\"?>")
{
}

void XmlWriter::open(std::string_view name, std::string_view xmlNamespace)
{
    m_text.append("<").append(name);
    if (!xmlNamespace.empty())
        m_text.append(" xmlns=\"").append(xmlNamespace).append("\"");
    m_text.append(">");
    m_open.emplace_back(name);
}

void XmlWriter::close()
{
    m_text.append("</").append(m_open.back()).append(">");
    m_open.pop_back();
}

void XmlWriter::element(std::string_view name, std::string_view text)
{
    m_text.append("<").append(name).append(">");
    appendEscaped(text);
    m_text.append("</").append(name).append(">");
}

void XmlWriter::appendEscaped(std::string_view text)
{
    for (const char c : text) {
        switch (c) {
        case '&':
            m_text.append("&amp;");
            break;
        case '<':
            m_text.append("&lt;");
            break;
        case '>':
            m_text.append("&gt;");
            break;
        case '"':
            m_text.append("&quot;");
            break;
        case '\'':
            m_text.append("&apos;");
            break;
        // A parser would turn a literal CR (or CR LF) into LF: keep the body byte-exact.
        case '\r':
            m_text.append("&#xD;");
            break;
        case '\t':
        case '\n':
            m_text.push_back(c);
            break;
        default:
            // XML 1.0 has no other control characters, even escaped: U+FFFD stands in.
            if (static_cast<unsigned char>(c) < 0x20)
                m_text.append("\xEF\xBF\xBD");
            else
                m_text.push_back(c);
        }
    }
}

} // namespace lambdesk::engine::common
