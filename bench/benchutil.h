#pragma once
// Small pieces the benchmarks share: timing, percentiles, a printed table, child processes.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>
#include <sys/types.h>

namespace httplib {
class Client;
}

namespace lambdesk::bench {

// The engine asks every request for a SigV4 Authorization header (any key by default), as
// every SDK sends one; the benchmark's plain HTTP clients send a well-formed one.
void signLikeAnSdk(httplib::Client &client);

class Stopwatch {
public:
    double elapsedMs() const
    {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start).count();
    }

private:
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

class Samples {
public:
    void add(double value) { m_values.push_back(value); }
    double percentile(double p) const; // nearest rank; NaN when empty
    double median() const { return percentile(50); }
    std::size_t size() const { return m_values.size(); }

private:
    std::vector<double> m_values;
};

class Table {
public:
    explicit Table(std::string title) : m_title(std::move(title)) {}
    void row(const std::string &what, double value, const std::string &unit);
    void note(const std::string &text) { m_notes.push_back(text); }
    void print() const; // markdown, so it pastes into a closing note as is

private:
    struct Row { std::string what; double value; std::string unit; };
    std::string m_title;
    std::vector<Row> m_rows;
    std::vector<std::string> m_notes;
};

class TempDir {
public:
    explicit TempDir(const std::string &prefix);
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::filesystem::path &path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// Runs argv to completion; wall-clock milliseconds from spawn to exit.
double timeCommandMs(const std::vector<std::string> &argv);

// lambda-local (npm) in watch mode serving one handler over HTTP: the benchmark's peer.
class LambdaLocal {
public:
    explicit LambdaLocal(std::string handlerSource);
    ~LambdaLocal();
    LambdaLocal(const LambdaLocal &) = delete;
    LambdaLocal &operator=(const LambdaLocal &) = delete;
    bool start(); // false with error() when lambda-local or node is missing
    int port() const { return m_port; }
    const std::string &error() const { return m_error; }

private:
    std::string m_source;
    TempDir m_dir{"lambdesk-peer-"};
    pid_t m_pid = -1;
    int m_port = 0;
    std::string m_error;
};

} // namespace lambdesk::bench
