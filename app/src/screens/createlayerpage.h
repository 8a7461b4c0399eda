#pragma once
// Lambda > Layers > Create layer (and a layer's "Create version"): name, description, the
// content as a .zip file or a folder, compatible architectures and runtimes, license. Create
// publishes a version through the engine; its errors show under the form, which keeps what the
// user entered.

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;

namespace lambdesk::engine {
class Engine;
}

namespace lambdesk::app {

class CreateLayerPage : public QWidget {
    Q_OBJECT
public:
    explicit CreateLayerPage(engine::Engine &engine, QWidget *parent = nullptr);

    // A new layer (empty name), or a new version of `layerName`.
    void start(const QString &layerName = {});
    void create(); // what Create does

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *descriptionEdit() const { return m_description; }
    QRadioButton *zipSource() const { return m_zip; }
    QRadioButton *folderSource() const { return m_folder; }
    QLineEdit *pathEdit() const { return m_path; }
    QCheckBox *x86() const { return m_x86; }
    QCheckBox *arm() const { return m_arm; }
    QListWidget *runtimeList() const { return m_runtimes; }
    QLineEdit *licenseEdit() const { return m_license; }
    QPushButton *createButton() const { return m_create; }
    QString errorText() const;
    bool isLoaded() const { return m_loaded; }

signals:
    void cancelled();
    void created(const QString &layerName, qint64 version);
    void loaded();

private:
    void choosePath();
    void showError(const QString &message);

    engine::Engine &m_engine;
    QLabel *m_title;
    QLineEdit *m_name;
    QLineEdit *m_description;
    QRadioButton *m_zip;
    QRadioButton *m_folder;
    QLineEdit *m_path;
    QCheckBox *m_x86;
    QCheckBox *m_arm;
    QListWidget *m_runtimes;
    QLineEdit *m_license;
    QLabel *m_error;
    QPushButton *m_create;
    bool m_loaded = false;
    bool m_creating = false;
    int m_generation = 0; // start() begins a new form; a publish of an earlier one is ignored
};

} // namespace lambdesk::app
