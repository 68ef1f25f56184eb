"""Tables → indicators: multi-row headers, name and field columns,
continuation rows, totals, blank cells."""
from parmine.extract.tables import table_indicators

DOSSIERS = [
    ["STT", "Tên thủ tục", "Lĩnh vực", "Số hồ sơ nhận giải quyết", "", "", "Kết quả giải quyết", "", "", "", "", ""],
    ["", "", "", "Tổng số", "Số kỳ trước chuyển qua", "Số mới tiếp nhận", "Tổng số", "Trả đúng thời hạn",
     "Trả quá hạn", "Tổng số", "Chưa đến hạn", "Quá hạn"],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)", "(12)"],
    ["1", "Cấp phiếu lý lịch tư pháp", "LLTP", "12", "1", "11", "10", "9", "1", "2", "2", "0"],
    ["2", "Đăng ký khai sinh có yếu tố", "Hộ tịch", "5", "0", "5", "", "", "", "", "", ""],
    ["", "nước ngoài", "", "", "", "", "", "", "", "", "", ""],
    ["", "Tổng cộng", "", "17", "1", "16", "10", "9", "1", "2", "2", "0"],
]


def test_dossier_table():
    got = table_indicators(DOSSIERS, 3, "TỔNG HỢP HỒ SƠ")
    row1 = {i.indicator: i.value for i in got if i.procedure == "Cấp phiếu lý lịch tư pháp"}
    assert row1 == {"dossiers.received": 12, "dossiers.carried_over": 1, "dossiers.new": 11,
                    "dossiers.resolved": 10, "dossiers.resolved.on_time": 9, "dossiers.resolved.late": 1,
                    "dossiers.pending": 2, "dossiers.pending.within_deadline": 2, "dossiers.pending.overdue": 0}
    row2 = [i for i in got if i.procedure and i.procedure.startswith("Đăng ký khai sinh")]
    assert {i.procedure for i in row2} == {"Đăng ký khai sinh có yếu tố nước ngoài"}  # continuation joined
    assert len(row2) == 3  # blank cells give no row
    assert {i.field for i in got if i.procedure} == {"LLTP", "Hộ tịch"}
    totals = [i for i in got if i.role == "total"]
    assert len(totals) == 9 and all(i.procedure is None and i.field is None for i in totals)
    assert all(i.table == 3 and i.group == "t:3" and i.row is not None and i.col is not None for i in got)


def test_online_offline_table():
    rows = [["TT", "Tên TTHC", "Mức độ", "Tổng số hồ sơ tiếp nhận trực tuyến", "Tổng số hồ sơ tiếp nhận trực tiếp"],
            ["1.", "Cấp giấy phép", "4", "7", "3"],
            ["Tổng cộng", "", "", "7", "3"]]
    got = [(i.indicator, i.value, i.procedure, i.role) for i in table_indicators(rows, 0)]
    assert got == [("dossiers.received.online", 7, "Cấp giấy phép", "part"),
                   ("dossiers.received.offline", 3, "Cấp giấy phép", "part"),
                   ("dossiers.received.online", 7, None, "total"),
                   ("dossiers.received.offline", 3, None, "total")]


def test_plans_table():
    rows = [["STT", "Kế hoạch", "Ngày ban hành", "Số nhiệm vụ/số đơn vị trong kế hoạch",
             "Số nhiệm vụ/đơn vị hoàn thành", "Ghi chú"],
            ["1", "Kế hoạch tuyên truyền CCHC", "05/01/2022", "12", "11", ""],
            ["2", "Kế hoạch kiểm tra CCHC", "10/01/2022", "05", "05", ""]]
    got = [(i.indicator, i.value, i.field) for i in table_indicators(rows, 1)]
    assert got == [("plan.tasks", 12, "Kế hoạch tuyên truyền CCHC"),
                   ("plan.tasks_done", 11, "Kế hoạch tuyên truyền CCHC"),
                   ("inspection.units_planned", 5, "Kế hoạch kiểm tra CCHC"),
                   ("inspection.units_inspected", 5, "Kế hoạch kiểm tra CCHC")]


def test_criteria_table():
    rows = [["STT", "Tiêu chí", "Tổng số", "Tỷ lệ %", "Ghi chú"],
            ["1", "Số TTHC được công khai trên Cổng dịch vụ công", "120", "100", ""],
            ["2", "Số TTHC giải quyết theo cơ chế một cửa liên thông", "30", "25", ""],
            ["3", "Số TTHC cung cấp dịch vụ công trực tuyến", "90", "75", "12 Mức độ 4"]]
    got = [(i.indicator, i.value) for i in table_indicators(rows, 2)]
    assert got == [("procedures.published", 120), ("rate.published", 100),
                   ("procedures.online", 90), ("rate.online", 75), ("procedures.online.level4", 12)]


def test_a_table_without_figures_gives_nothing():
    assert table_indicators([["Họ tên", "Chức vụ"], ["Lê Văn A", "Giám đốc"]], 0) == []
