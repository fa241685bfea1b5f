<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>Report</name>
    <message>
        <source>high</source>
        <translation>alta</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>media</translation>
    </message>
    <message>
        <source>low</source>
        <translation>baja</translation>
    </message>
    <message>
        <source>raised</source>
        <translation>activa</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>reconocida</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>resuelta</translation>
    </message>
    <message>
        <source>unrelated</source>
        <translation>no relacionada</translation>
    </message>
    <message>
        <source>unlikely</source>
        <translation>improbable</translation>
    </message>
    <message>
        <source>possible</source>
        <translation>posible</translation>
    </message>
    <message>
        <source>probable</source>
        <translation>probable</translation>
    </message>
    <message>
        <source>definite</source>
        <translation>definida</translation>
    </message>
    <message>
        <source>not yet assessed</source>
        <translation>aún no evaluado</translation>
    </message>
    <message>
        <source>candidate</source>
        <translation>candidata</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>aceptada</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelada</translation>
    </message>
    <message>
        <source>assessed by {who}</source>
        <translation>evaluada por {who}</translation>
    </message>
    <message>
        <source>none: died in the ICU</source>
        <translation>ninguna: falleció en la UCI</translation>
    </message>
    <message>
        <source>{at} (ADT reported a death, not yet confirmed)</source>
        <translation>{at} (ADT notificó un fallecimiento, aún sin confirmar)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>entry {seq}, sha256 {digest}</source>
        <translation>entrada {seq}, sha256 {digest}</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>sin registro</translation>
    </message>
    <message>
        <source>{name} ({ref}) · made {made} by Bedside {version} · rule set {ruleset} · log head {head}</source>
        <translation>{name} ({ref}) · generado el {made} por Bedside {version} · conjunto de reglas {ruleset} · cabeza del registro {head}</translation>
    </message>
    <message>
        <source>Bedside: post-dose review</source>
        <translation>Bedside: revisión tras la dosis</translation>
    </message>
    <message>
        <source>Patient {name} · MRN {mrn} · {bed}</source>
        <translation>Paciente {name} · NHC {mrn} · {bed}</translation>
    </message>
    <message>
        <source>no bed</source>
        <translation>sin cama</translation>
    </message>
    <message>
        <source>Made {made} by Bedside {version}. All times are in this computer&apos;s time zone ({zone}). Rule set {ruleset}. Safety log chain head at export: {head}.</source>
        <translation>Generado el {made} por Bedside {version}. Todas las horas están en la zona horaria de este equipo ({zone}). Conjunto de reglas {ruleset}. Cabeza de la cadena del registro de seguridad al exportar: {head}.</translation>
    </message>
    <message>
        <source>Exported by {name} ({role}).</source>
        <translation>Exportado por {name} ({role}).</translation>
    </message>
    <message>
        <source>Who exported it is not recorded (nobody signed in).</source>
        <translation>No consta quién lo exportó (nadie había iniciado sesión).</translation>
    </message>
    <message>
        <source>Safety log key {key}.</source>
        <translation>Clave del registro de seguridad: {key}.</translation>
    </message>
    <message>
        <source>none (entries not signed)</source>
        <translation>ninguna (entradas sin firmar)</translation>
    </message>
    <message>
        <source>Bedside supports decisions and does not diagnose. Values are stored values with their own times; nothing is interpolated, and a missing value is shown as missing with the reason.</source>
        <translation>Bedside ayuda a decidir y no diagnostica. Los valores son los almacenados, cada uno con su hora; no se interpola nada, y un valor que falta se muestra como ausente, con el motivo.</translation>
    </message>
    <message>
        <source>Course</source>
        <translation>Evolución</translation>
    </message>
    <message>
        <source>dose {n} {start}</source>
        <translation>dosis {n} {start}</translation>
    </message>
    <message>
        <source>(running)</source>
        <translation>(en curso)</translation>
    </message>
    <message>
        <source>{cells} cells/kg</source>
        <translation>{cells} células/kg</translation>
    </message>
    <message>
        <source>not confirmed; ventilator data stopped {at}</source>
        <translation>no confirmada; los datos del respirador cesaron el {at}</translation>
    </message>
    <message>
        <source>none since the reintubation</source>
        <translation>ninguna desde la reintubación</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>no registrada</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>aún no se sabe</translation>
    </message>
    <message>
        <source>Reintubated {at}.</source>
        <translation>Reintubación: {at}.</translation>
    </message>
    <message>
        <source>Intubated: {at} ({source}). Doses: {doses}.</source>
        <translation>Intubación: {at} ({source}). Dosis: {doses}.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>Days on mechanical ventilation before the first dose: {days}. Extubation: {extubation}.</source>
        <translation>Días de ventilación mecánica antes de la primera dosis: {days}. Extubación: {extubation}.</translation>
    </message>
    <message>
        <source>ICU discharge: {discharge}. Death: {death}. Alive at day 28: {alive}.</source>
        <translation>Alta de la UCI: {discharge}. Fallecimiento: {death}. Vivo el día 28: {alive}.</translation>
    </message>
    <message>
        <source>Radiology notes: {notes}</source>
        <translation>Notas de radiología: {notes}</translation>
    </message>
    <message>
        <source>Safety summary</source>
        <translation>Resumen de seguridad</translation>
    </message>
    <message>
        <source>Clinical alerts: {n}</source>
        <translation>Alertas clínicas: {n}</translation>
    </message>
    <message>
        <source>Technical alerts (a feed or a sensor): {n}</source>
        <translation>Alertas técnicas (una señal o un sensor): {n}</translation>
    </message>
    <message>
        <source>Adverse events: {n}</source>
        <translation>Acontecimientos adversos: {n}</translation>
    </message>
    <message>
        <source>Both are listed in full, from the safety log, on the last page.</source>
        <translation>Ambos se listan completos, desde el registro de seguridad, en la última página.</translation>
    </message>
    <message>
        <source>dose {n}: plots and tables</source>
        <translation>dosis {n}: gráficas y tablas</translation>
    </message>
    <message>
        <source>Dose {n}: {start}, t = 0 at its start; other doses dashed, alerts dotted</source>
        <translation>Dosis {n}: {start}, t = 0 en su inicio; otras dosis en discontinua, alertas en punteado</translation>
    </message>
    <message>
        <source>Before and after (value, and its time from the start)</source>
        <translation>Antes y después (valor, y su tiempo desde el inicio)</translation>
    </message>
    <message>
        <source>Marker</source>
        <translation>Marcador</translation>
    </message>
    <message>
        <source>{timepoint} (change)</source>
        <translation>{timepoint} (cambio)</translation>
    </message>
    <message>
        <source>Data coverage: share of expected samples present</source>
        <translation>Cobertura de datos: proporción de las muestras esperadas presentes</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Señal</translation>
    </message>
    <message>
        <source>All doses overlaid, each on its own start</source>
        <translation>Todas las dosis superpuestas, cada una desde su inicio</translation>
    </message>
    <message>
        <source>Alerts (from the safety log)</source>
        <translation>Alertas (del registro de seguridad)</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>Activada</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regla</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alerta</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Reconocida</translation>
    </message>
    <message>
        <source>No alert was raised for this patient.</source>
        <translation>No se activó ninguna alerta para este paciente.</translation>
    </message>
    <message>
        <source>Adverse events</source>
        <translation>Acontecimientos adversos</translation>
    </message>
    <message>
        <source>Onset</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>Término</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>Grado</translation>
    </message>
    <message>
        <source>Relatedness</source>
        <translation>Causalidad</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alertas</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>Registrado por</translation>
    </message>
    <message>
        <source>MedDRA {code}</source>
        <translation>MedDRA {code}</translation>
    </message>
    <message>
        <source>No adverse event was recorded.</source>
        <translation>No se registró ningún acontecimiento adverso.</translation>
    </message>
    <message>
        <source>Electronic signatures</source>
        <translation>Firmas electrónicas</translation>
    </message>
    <message>
        <source>Each signed record with its signature as the safety log keeps it: the signer&apos;s printed name, role, the meaning of the signature and when it was given.</source>
        <translation>Cada registro firmado con su firma tal como la guarda el registro de seguridad: el nombre del firmante, su función, el significado de la firma y cuándo se dio.</translation>
    </message>
    <message>
        <source>No record of this patient was signed.</source>
        <translation>No se firmó ningún registro de este paciente.</translation>
    </message>
    <message>
        <source>Safety log extract: doses, alerts, adverse events, course events</source>
        <translation>Extracto del registro de seguridad: dosis, alertas, acontecimientos adversos, eventos de la evolución</translation>
    </message>
    <message>
        <source>Every entry of this patient&apos;s kinds above, as logged (sequence number, time, kind, who, and what). bedside-cli verify-log checks the chain these entries belong to.</source>
        <translation>Cada entrada de este paciente de los tipos anteriores, tal como se registró (número de secuencia, hora, tipo, quién y qué). bedside-cli verify-log comprueba la cadena a la que pertenecen estas entradas.</translation>
    </message>
    <message>
        <source>It also checks the doses, alerts, adverse events, course events and hand-entered co-medication against their entries; lab and device values come from the received messages and are not in the log.</source>
        <translation>También comprueba las dosis, las alertas, los acontecimientos adversos, los eventos de la evolución y la medicación concomitante introducida a mano frente a sus entradas; los valores de laboratorio y de los dispositivos proceden de los mensajes recibidos y no están en el registro.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>last changed by {who} (version {version})</source>
        <translation>modificado por última vez por {who} (versión {version})</translation>
    </message>
    <message>
        <source>Outcome set</source>
        <translation>Variables de desenlace</translation>
    </message>
    <message>
        <source>No outcome set: nothing was loaded to compute it from.</source>
        <translation>Sin variables de desenlace: no se cargó nada con que calcularlas.</translation>
    </message>
    <message>
        <source>Flagged: {flags}.</source>
        <translation>Señalado: {flags}.</translation>
    </message>
    <message>
        <source>Bedside post-dose review</source>
        <translation>Bedside: revisión tras la dosis</translation>
    </message>
    <message>
        <source>not recorded (nobody signed in)</source>
        <translation>no consta (nadie había iniciado sesión)</translation>
    </message>
    <message>
        <source>page {n} of {total}</source>
        <translation>página {n} de {total}</translation>
    </message>
    <message>
        <source>Serious adverse events (SAE listing)</source>
        <translation>Acontecimientos adversos graves (listado de AAG)</translation>
    </message>
    <message>
        <source>Each serious adverse event (ICH E2A criteria) as last recorded: a follow-up is a new version, and every version stays in the safety log. SUSAR (suspected unexpected serious adverse reaction) is derived from relatedness (a reasonable possibility), seriousness and expectedness, never entered. Grades are CTCAE v5.0 unless the term is not a CTCAE term. A serious event is reported to the sponsor within 24 h of the team becoming aware. Read at safety log head {head}.</source>
        <translation>Cada acontecimiento adverso grave (criterios ICH E2A) tal como se registró por última vez: un seguimiento es una versión nueva, y todas las versiones quedan en el registro de seguridad. La RAGI (sospecha de reacción adversa grave e inesperada; SUSAR en inglés) se deriva de la causalidad (una posibilidad razonable), la gravedad y el carácter esperado, nunca se introduce a mano. Los grados son CTCAE v5.0 salvo que el término no sea un término CTCAE. Un acontecimiento grave se notifica al promotor en las 24 h siguientes a que el equipo tenga conocimiento de él. Leído en la cabeza del registro de seguridad {head}.</translation>
    </message>
    <message>
        <source>An event once assessed serious and later reassessed as not serious stays listed: what it was (and whether it was a SUSAR), who reassessed it and when, and where its 24 h report stood then.</source>
        <translation>Un acontecimiento evaluado como grave y reevaluado después como no grave sigue en el listado: qué fue (y si fue una RAGI), quién lo reevaluó y cuándo, y en qué punto estaba entonces su notificación de 24 h.</translation>
    </message>
    <message>
        <source>No adverse event of this patient is recorded as serious.</source>
        <translation>Ningún acontecimiento adverso de este paciente está registrado como grave.</translation>
    </message>
    <message>
        <source>Expectedness judged against: {rsi}.</source>
        <translation>Carácter esperado valorado frente a: {rsi}.</translation>
    </message>
    <message>
        <source>1 adverse event of this patient has no seriousness assessment yet and is not in this listing until an intensivist or investigator assesses it.</source>
        <translation>1 acontecimiento adverso de este paciente aún no tiene evaluada la gravedad y no figura en este listado hasta que un intensivista o investigador lo evalúe.</translation>
    </message>
    <message>
        <source>{n} adverse events of this patient have no seriousness assessment yet and are not in this listing until an intensivist or investigator assesses them.</source>
        <translation>{n} acontecimientos adversos de este paciente aún no tienen evaluada la gravedad y no figuran en este listado hasta que un intensivista o investigador los evalúe.</translation>
    </message>
    <message>
        <source>Death: {line}.</source>
        <translation>Fallecimiento: {line}.</translation>
    </message>
    <message>
        <source>Outcome and death disagree: {conflict}.</source>
        <translation>El desenlace no concuerda con el fallecimiento: {conflict}.</translation>
    </message>
    <message>
        <source>Course and adverse events disagree: {line}.</source>
        <translation>El curso y los acontecimientos adversos no concuerdan: {line}.</translation>
    </message>
    <message>
        <source>Outcome without an adverse event of special interest: {line}.</source>
        <translation>Desenlace sin acontecimiento adverso de especial interés: {line}.</translation>
    </message>
    <message>
        <source>Severity over time: daily SOFA, P/F, driving pressure and compliance</source>
        <translation>Gravedad en el tiempo: SOFA diario, P/F, presión de distensión y distensibilidad</translation>
    </message>
    <message>
        <source>Severity was not loaded for this report.</source>
        <translation>La gravedad no se cargó para este informe.</translation>
    </message>
    <message>
        <source>SOFA after Vincent et al., Intensive Care Med 1996: each component is the worst value of its 24 h (day 0 starts at the start of dose 1). A component without data is shown as a dash with the reason and is not counted as normal; a total that lacks components says how many it sums. Driving pressure = plateau pressure − PEEP and static compliance = tidal volume / driving pressure (Amato et al., N Engl J Med 2015), per plateau reading as the ventilator reported it.</source>
        <translation>SOFA según Vincent et al., Intensive Care Med 1996: cada componente es el peor valor de sus 24 h (el día 0 empieza al inicio de la dosis 1). Un componente sin datos se muestra como un guion con el motivo y no se cuenta como normal; un total al que le faltan componentes dice cuántos suma. Presión de distensión (driving pressure) = presión meseta − PEEP y distensibilidad estática = volumen corriente / presión de distensión (Amato et al., N Engl J Med 2015), por cada lectura de presión meseta tal como la informó el respirador.</translation>
    </message>
    <message>
        <source>No day has any SOFA input (no labs, GCS, blood pressure or blood gases).</source>
        <translation>Ningún día tiene datos para el SOFA (ni analítica, ni GCS, ni presión arterial, ni gasometrías).</translation>
    </message>
    <message>
        <source>Not included: {notes}.</source>
        <translation>No incluido: {notes}.</translation>
    </message>
    <message>
        <source>Co-medication around each dose</source>
        <translation>Medicación concomitante alrededor de cada dosis</translation>
    </message>
</context>
<context>
    <name>ReportCommand</name>
    <message>
        <source>{patient} has no dose recorded: nothing to review</source>
        <translation>{patient} no tiene ninguna dosis registrada: nada que revisar</translation>
    </message>
    <message>
        <source>report: {percent} % {what}</source>
        <translation>informe: {percent} % {what}</translation>
    </message>
    <message>
        <source>{problem} (the files were removed)</source>
        <translation>{problem} (se eliminaron los archivos)</translation>
    </message>
    <message numerus="yes">
        <source>Report written to {file}: %n page(s); SHA-256 {sha256}.</source>
        <translation>
            <numerusform>Informe escrito en {file}: %n página; SHA-256 {sha256}.</numerusform>
            <numerusform>Informe escrito en {file}: %n páginas; SHA-256 {sha256}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Its tables in {csv}: %n row(s).</source>
        <translation>
            <numerusform>Sus tablas en {csv}: %n fila.</numerusform>
            <numerusform>Sus tablas en {csv}: %n filas.</numerusform>
        </translation>
    </message>
</context>
</TS>
